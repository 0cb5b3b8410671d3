package io.discs.platform.targets;

import java.util.Locale;

/** What a target's LUN looks like to the initiator: a read-only disk or a CD/DVD-ROM drive. */
public enum DeviceType {
  DISK,
  CDROM;

  /** The name in JSON and in the database: {@code disk} or {@code cdrom}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code disk} when absent; anything but the two names is refused. */
  public static DeviceType fromWire(String name) {
    return switch (name == null ? "disk" : name) {
      case "disk" -> DISK;
      case "cdrom" -> CDROM;
      default -> throw new IllegalArgumentException("deviceType must be disk or cdrom");
    };
  }
}
