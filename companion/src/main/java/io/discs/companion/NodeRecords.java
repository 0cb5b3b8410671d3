package io.discs.companion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * open-iscsi's node records, written directly for the values that must not be on a command line:
 * {@code iscsiadm -o update -v SECRET} would show a CHAP secret in {@code /proc} to every local
 * user while it runs. A record is {@code <root>/<iqn>/<address>,<port>} or {@code
 * <root>/<iqn>/<address>,<port>,<tpgt>/<iface>}, lines of {@code name = value} where the last line
 * of a name wins (open-iscsi's {@code idbm.c}); the root is {@code /etc/iscsi/nodes} on Debian and
 * Ubuntu, {@code /var/lib/iscsi/nodes} on Fedora, RHEL and SUSE.
 */
final class NodeRecords {
  static final List<Path> SYSTEM_ROOTS =
      List.of(Path.of("/etc/iscsi/nodes"), Path.of("/var/lib/iscsi/nodes"));

  private static final String DEFAULT_IFACE = "default";

  private final List<Path> roots;

  NodeRecords(List<Path> roots) {
    this.roots = List.copyOf(roots);
  }

  /**
   * Sets {@code values} in the record {@code iscsiadm -m node -o new -T iqn -p portal} made: the
   * file is replaced whole (readable by its owner only) with those names' lines swapped for these.
   *
   * @param iqn and {@code portal} checked by the caller (no path separators)
   */
  void set(String iqn, String portal, Map<String, String> values) {
    Path record = find(iqn, portal);
    try {
      List<String> lines = new ArrayList<>();
      for (String line : Files.readAllLines(record, StandardCharsets.UTF_8)) {
        if (!values.containsKey(name(line))) {
          lines.add(line);
        }
      }
      values.forEach((name, value) -> lines.add(name + " = " + value));
      Path written =
          Files.createTempFile(
              record.getParent(),
              ".discs-",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        Files.write(written, lines, StandardCharsets.UTF_8);
        try {
          Files.move(written, record, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(written, record, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(written);
      }
    } catch (IOException e) {
      throw new CompanionException(
          "cannot write the node record " + record + ": " + e.getMessage(), 6);
    }
  }

  /**
   * The record's file: {@code <iqn>/<address>,<port>} when the target portal group is not known
   * (what {@code -o new} without one writes, open-iscsi's older layout), else {@code
   * <iqn>/<address>,<port>,<tpgt>/default}.
   */
  private Path find(String iqn, String portal) {
    int colon = portal.lastIndexOf(':');
    String address = portal.substring(0, colon).replace("[", "").replace("]", "");
    String flat = address + "," + portal.substring(colon + 1);
    for (Path root : roots) {
      Path node = root.resolve(iqn);
      if (!Files.isDirectory(node)) {
        continue;
      }
      if (Files.isRegularFile(node.resolve(flat))) {
        return node.resolve(flat);
      }
      try (Stream<Path> portals = Files.list(node)) {
        for (Path candidate : portals.toList()) {
          Path record = candidate.resolve(DEFAULT_IFACE);
          if (candidate.getFileName().toString().startsWith(flat + ",")
              && Files.isRegularFile(record)) {
            return record;
          }
        }
      } catch (IOException e) {
        throw new CompanionException("cannot read " + node + ": " + e.getMessage(), 6);
      }
    }
    throw new CompanionException(
        "iscsiadm made no node record for " + iqn + " at " + portal + " under " + roots, 6);
  }

  private static String name(String line) {
    int equals = line.indexOf('=');
    return equals < 0 ? line.strip() : line.substring(0, equals).strip();
  }
}
