package io.discs.companion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process runs as root, read from {@code /proc/self/status} (Java has no geteuid). */
final class Privileges {
  private Privileges() {}

  static boolean isRoot() {
    return effectiveUid(Path.of("/proc/self/status")) == 0;
  }

  /** The effective uid (second field of {@code Uid:}), or -1 where the file cannot be read. */
  static long effectiveUid(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("Uid:")) {
          String[] fields = line.substring(4).trim().split("\\s+");
          return Long.parseLong(fields.length > 1 ? fields[1] : fields[0]);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
