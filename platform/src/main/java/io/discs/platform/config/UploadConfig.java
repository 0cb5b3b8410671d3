package io.discs.platform.config;

/**
 * The settings of image uploads, the slice image-service and the gateway's upload routes read.
 *
 * @param maxImageBytes the largest image accepted
 * @param idleSeconds how long an upload may send nothing before it is closed
 * @param expiryHours how long a resumable upload lives after its last bytes arrived
 */
public record UploadConfig(long maxImageBytes, int idleSeconds, int expiryHours) {
  static UploadConfig read(SettingReader in) {
    return new UploadConfig(
        in.longValue(Setting.MAX_IMAGE_BYTES),
        in.integer(Setting.UPLOAD_IDLE_SECONDS),
        in.integer(Setting.UPLOAD_EXPIRY_HOURS));
  }
}
