package io.discs.images.inspect;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Recognises ISO 9660 (ECMA-119) and UDF (ECMA-167 volume recognition) images from their first
 * sectors, which the upload keeps as it streams: no second pass over the file. Volume descriptors
 * start at byte 32768 (sector 16 of 2048 bytes) and follow each other until a terminator.
 */
public final class DiscInspector {
  public static final int SECTOR = 2048;
  public static final int FIRST_DESCRIPTOR = 16 * SECTOR;

  /** How much of the start of a file the inspector looks at; enough for any sane descriptor set. */
  public static final int PREFIX_BYTES = 64 * SECTOR;

  private DiscInspector() {}

  /**
   * @param prefix the first bytes of the file (up to {@link #PREFIX_BYTES})
   * @param totalSize the whole file's size
   */
  public static Inspection inspect(byte[] prefix, long totalSize) {
    if (totalSize < FIRST_DESCRIPTOR + SECTOR || prefix.length < FIRST_DESCRIPTOR + SECTOR) {
      return new Inspection.NotADisc(
          "too short to hold volume descriptors (" + totalSize + " bytes)");
    }
    int primary = -1;
    boolean bootable = false;
    boolean beginsExtended = false;
    boolean nsr = false;
    boolean more = true;
    for (int at = FIRST_DESCRIPTOR; more && at + SECTOR <= prefix.length; at += SECTOR) {
      int type = prefix[at] & 0xff;
      switch (ascii(prefix, at + 1, 5)) {
        case "CD001" -> {
          // Type 255 is the ISO terminator; a UDF bridge disc carries its recognition sequence
          // after it.
          if (type == 1 && primary < 0) {
            primary = at;
          } else if (type == 0 && ascii(prefix, at + 7, 23).equals("EL TORITO SPECIFICATION")) {
            bootable = true;
          }
        }
        case "BEA01" -> beginsExtended = true;
        case "NSR02", "NSR03" -> nsr |= beginsExtended;
        case "BOOT2", "CDW02" -> {
          // Other volume structure descriptors of ECMA-167: allowed, nothing to learn.
        }
        default -> more = false; // TEA01 ends the sequence; anything else is not a descriptor.
      }
    }
    if (nsr) {
      return primary >= 0
          ? primary(prefix, primary, "udf", bootable)
          : new Inspection.Disc("udf", null, totalSize / SECTOR, SECTOR, null, bootable);
    }
    if (primary >= 0) {
      return primary(prefix, primary, "iso9660", bootable);
    }
    return new Inspection.NotADisc(
        "no ISO 9660 primary volume descriptor and no UDF volume recognition sequence");
  }

  private static Inspection primary(byte[] b, int at, String format, boolean bootable) {
    String volumeId = printable(b, at + 40, 32).strip();
    long spaceSize = le32(b, at + 80);
    int blockSize = le16(b, at + 128);
    if (blockSize != 512 && blockSize != 1024 && blockSize != 2048) {
      return new Inspection.NotADisc(
          "logical block size " + blockSize + " is not 512, 1024 or 2048");
    }
    return new Inspection.Disc(
        format,
        volumeId.isEmpty() ? null : volumeId,
        spaceSize,
        blockSize,
        decDateTime(b, at + 813),
        bootable);
  }

  /** ECMA-119 8.4.26.1: "YYYYMMDDHHMMSScc" digits, then the offset from GMT in 15-minute steps. */
  static OffsetDateTime decDateTime(byte[] b, int at) {
    String digits = ascii(b, at, 16);
    if (!digits.matches("\\d{16}") || digits.startsWith("0000")) {
      return null;
    }
    try {
      int offsetQuarters = b[at + 16];
      return OffsetDateTime.of(
          Integer.parseInt(digits.substring(0, 4)),
          Integer.parseInt(digits.substring(4, 6)),
          Integer.parseInt(digits.substring(6, 8)),
          Integer.parseInt(digits.substring(8, 10)),
          Integer.parseInt(digits.substring(10, 12)),
          Integer.parseInt(digits.substring(12, 14)),
          Integer.parseInt(digits.substring(14, 16)) * 10_000_000,
          ZoneOffset.ofTotalSeconds(offsetQuarters * 15 * 60));
    } catch (DateTimeException e) {
      return null;
    }
  }

  /**
   * A label as shown to people: discs in the wild pad it with NULs or carry other bytes outside
   * ECMA-119's a-characters, which are dropped rather than stored.
   */
  private static String printable(byte[] b, int at, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = at; i < at + length; i++) {
      if (b[i] >= 0x20 && b[i] < 0x7f) {
        text.append((char) b[i]);
      }
    }
    return text.toString();
  }

  private static String ascii(byte[] b, int at, int length) {
    return new String(b, at, length, StandardCharsets.US_ASCII);
  }

  private static long le32(byte[] b, int at) {
    return (b[at] & 0xffL)
        | (b[at + 1] & 0xffL) << 8
        | (b[at + 2] & 0xffL) << 16
        | (b[at + 3] & 0xffL) << 24;
  }

  private static int le16(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
  }
}
