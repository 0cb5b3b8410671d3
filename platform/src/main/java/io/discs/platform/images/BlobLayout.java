package io.discs.platform.images;

import java.nio.file.Path;

/**
 * Where a stored image's bytes are: {@code <data>/images/sha256/<2 hex>/<64 hex>}. image-service
 * writes there; target-service points iSCSI backends there. One definition, so they agree.
 */
public final class BlobLayout {
  private BlobLayout() {}

  public static Path imagesRoot(Path dataDir) {
    return dataDir.resolve("images");
  }

  public static Path blob(Path imagesRoot, String sha256) {
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a SHA-256 in lowercase hex");
    }
    return imagesRoot.resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256);
  }
}
