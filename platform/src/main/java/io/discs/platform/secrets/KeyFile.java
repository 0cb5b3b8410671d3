package io.discs.platform.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A 256-bit key kept in a file readable by its owner alone (mode 0600, hex), made on first use.
 * Blocking: call from a worker.
 */
public final class KeyFile {
  private static final int KEY_BYTES = 32;

  private KeyFile() {}

  public static byte[] loadOrCreate(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    if (!Files.exists(file)) {
      byte[] fresh = new byte[KEY_BYTES];
      new SecureRandom().nextBytes(fresh);
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, HexFormat.of().formatHex(fresh) + "\n", StandardCharsets.US_ASCII);
      } catch (FileAlreadyExistsException raced) {
        // Another process on this data directory made it first: use theirs.
      }
    }
    byte[] key = HexFormat.of().parseHex(Files.readString(file, StandardCharsets.US_ASCII).trim());
    if (key.length != KEY_BYTES) {
      throw new IOException(file + " does not hold a " + KEY_BYTES + "-byte key");
    }
    return key;
  }
}
