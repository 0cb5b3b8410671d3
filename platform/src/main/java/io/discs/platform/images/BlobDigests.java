package io.discs.platform.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The SHA-256 of a blob's file, the check before a copy of it takes its place. */
public final class BlobDigests {
  private BlobDigests() {}

  /** Blocking: reads the whole file. */
  public static String sha256Of(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] chunk = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      for (int read; (read = in.read(chunk)) > 0; ) {
        digest.update(chunk, 0, read);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
