package io.discs.companion;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A file only its owner may read, replaced whole: written to a private temporary file beside it and
 * moved into place, so no one ever sees it half written or with wider permissions.
 */
final class PrivateFile {
  interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private PrivateFile() {}

  static void write(Path file, Content content) throws IOException {
    Path directory = file.getParent();
    Files.createDirectories(directory);
    Path temp =
        Files.createTempFile(
            directory,
            file.getFileName().toString(),
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        content.writeTo(out);
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
