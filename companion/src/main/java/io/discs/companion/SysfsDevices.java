package io.discs.companion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the block device of an iSCSI session's LUN the way the kernel publishes it: the session
 * whose {@code targetname} is the IQN, then the SCSI device {@code H:C:T:LUN} under it and its
 * {@code block/} entry. Sysfs, not udev's {@code /dev/disk/by-path}, is the truth: the link comes
 * later or, without udev, never.
 */
final class SysfsDevices {
  private static final Pattern SCSI_ADDRESS = Pattern.compile("\\d+:\\d+:\\d+:(\\d+)");
  private final Path sys;
  private final Path dev;

  SysfsDevices(Path sys, Path dev) {
    this.sys = sys;
    this.dev = dev;
  }

  static SysfsDevices system() {
    return new SysfsDevices(Path.of("/sys"), Path.of("/dev"));
  }

  /**
   * Waits until the LUN's device node exists (and briefly for its by-path link), at most {@code
   * timeout}.
   */
  Optional<AttachedDevice> await(String portal, String iqn, int lun, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Optional<Path> node = Optional.empty();
    while (node.isEmpty() && System.nanoTime() < deadline) {
      node = find(iqn, lun).filter(Files::exists);
      if (node.isEmpty()) {
        Thread.sleep(100);
      }
    }
    if (node.isEmpty()) {
      return Optional.empty();
    }
    Path link = dev.resolve("disk/by-path/ip-" + portal + "-iscsi-" + iqn + "-lun-" + lun);
    long linkDeadline = Math.min(deadline, System.nanoTime() + Duration.ofSeconds(5).toNanos());
    while (!Files.exists(link) && System.nanoTime() < linkDeadline) {
      Thread.sleep(100);
    }
    return Optional.of(
        new AttachedDevice(node.get(), Files.exists(link) ? Optional.of(link) : Optional.empty()));
  }

  /** How often the kernel asks a drive whether its disc changed, once {@link #watchMedia} asks. */
  static final String MEDIA_POLL_MILLIS = "2000";

  /**
   * Makes the kernel ask the drive at {@code node} every {@link #MEDIA_POLL_MILLIS} ms whether its
   * disc changed, unless something (udisks, an administrator) already set how often: by default
   * Linux polls no drive, so a disc changed from elsewhere shows only when the device is next
   * opened, and udev hears of no change (no {@code DISK_MEDIA_CHANGE}, no eject request).
   *
   * @return whether polling is on now
   */
  boolean watchMedia(Path node) {
    Path poll =
        sys.resolve("block").resolve(node.getFileName().toString()).resolve("events_poll_msecs");
    try {
      String now = Files.readString(poll).strip();
      if (now.equals("-1") || now.equals("0")) {
        Files.writeString(poll, MEDIA_POLL_MILLIS);
      }
      return true;
    } catch (IOException | RuntimeException notHere) {
      return false;
    }
  }

  /** The device node the kernel named for the LUN, if it has named one yet. */
  Optional<Path> find(String iqn, int lun) {
    Path sessions = sys.resolve("class/iscsi_session");
    try (Stream<Path> all = Files.list(sessions)) {
      for (Path session : all.toList()) {
        if (iqn.equals(read(session.resolve("targetname")))) {
          Optional<Path> found = blockUnder(session.resolve("device"), lun);
          if (found.isPresent()) {
            return found;
          }
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private Optional<Path> blockUnder(Path sessionDevice, int lun) throws IOException {
    if (!Files.isDirectory(sessionDevice)) {
      return Optional.empty();
    }
    // "device" is a symbolic link, and Files.walk does not follow one it starts from.
    try (Stream<Path> paths = Files.walk(sessionDevice.toRealPath(), 2)) {
      for (Path candidate : paths.toList()) {
        var address = SCSI_ADDRESS.matcher(candidate.getFileName().toString());
        if (address.matches()
            && Integer.parseInt(address.group(1)) == lun
            && Files.isDirectory(candidate.resolve("block"))) {
          try (Stream<Path> blocks = Files.list(candidate.resolve("block"))) {
            Optional<Path> name = blocks.findFirst().map(Path::getFileName);
            if (name.isPresent()) {
              return Optional.of(dev.resolve(name.get().toString()));
            }
          }
        }
      }
    }
    return Optional.empty();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      return null;
    }
  }
}
