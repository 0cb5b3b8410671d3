package io.discs.targets.backend;

import java.nio.file.Path;

/**
 * One read-only target for one initiator.
 *
 * @param mutualChap null unless the initiator also authenticates the target
 */
public record TargetSpec(
    String iqn,
    Path backingFile,
    DeviceType deviceType,
    String initiatorIqn,
    Chap chap,
    Chap mutualChap) {

  public enum DeviceType {
    DISK,
    CDROM;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static DeviceType fromWire(String name) {
      return switch (name == null ? "disk" : name) {
        case "disk" -> DISK;
        case "cdrom" -> CDROM;
        default -> throw new IllegalArgumentException("deviceType must be disk or cdrom");
      };
    }
  }

  /** A CHAP user and secret; the secret never appears in {@link #toString()}. */
  public record Chap(String user, String secret) {
    @Override
    public String toString() {
      return "Chap[" + user + "]";
    }
  }
}
