package io.discs.platform.config;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Where images live: image-service's, and the slice target nodes read from.
 *
 * @param s3 the bucket, when {@code kind} is {@link Kind#S3}; else null
 */
public record StoreConfig(Kind kind, S3Location s3) {

  /** The kinds of image store. */
  public enum Kind {
    FILE,
    S3
  }

  /**
   * A bucket and how to reach it.
   *
   * @param endpoint a self-hosted service's URL; null for AWS
   * @param accessKeyId null to take credentials from the usual AWS sources
   */
  public record S3Location(
      URI endpoint,
      String bucket,
      String region,
      String accessKeyId,
      String secretAccessKey,
      boolean pathStyle) {
    @Override
    public String toString() {
      return "S3Location[" + endpoint + ", " + bucket + ", " + region + "]";
    }
  }

  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  static StoreConfig read(SettingReader in) {
    Kind kind = in.enumValue(Setting.STORE, Kind.class);
    if (kind == Kind.FILE) {
      return new StoreConfig(kind, null);
    }
    URI endpoint =
        in.optional(
                Setting.S3_ENDPOINT,
                text -> {
                  URI uri = URI.create(text);
                  if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                    throw new IllegalArgumentException("not http(s)");
                  }
                  return uri;
                })
            .orElse(null);
    String bucket =
        in.raw(Setting.S3_BUCKET)
            .filter(name -> BUCKET.matcher(name).matches())
            .orElseThrow(
                () ->
                    SettingReader.invalid(
                        Setting.S3_BUCKET, in.raw(Setting.S3_BUCKET).orElse("(unset)")));
    String keyId = in.raw(Setting.S3_ACCESS_KEY_ID).orElse(null);
    String secret = in.raw(Setting.S3_SECRET_ACCESS_KEY).orElse(null);
    if ((keyId == null) != (secret == null)) {
      throw SettingReader.invalid(
          keyId == null ? Setting.S3_ACCESS_KEY_ID : Setting.S3_SECRET_ACCESS_KEY, "(unset)");
    }
    boolean pathStyle =
        in.optional(
                Setting.S3_PATH_STYLE,
                text -> {
                  if (!text.equals("true") && !text.equals("false")) {
                    throw new IllegalArgumentException(text);
                  }
                  return Boolean.parseBoolean(text);
                })
            .orElse(endpoint != null);
    return new StoreConfig(
        kind,
        new S3Location(endpoint, bucket, in.string(Setting.S3_REGION), keyId, secret, pathStyle));
  }
}
