package io.discs.images.inspect;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Recognises ISO 9660 (ECMA-119) and UDF (ECMA-167 volume recognition) images from their first
 * sectors, which the upload keeps as it streams: no second pass over the file. Volume descriptors
 * start at byte 32768 (sector 16 of 2048 bytes) and follow each other until a terminator. For UDF
 * it also reads where the partition ends (the anchor at sector 256 points at the main volume
 * descriptor sequence, whose partition descriptor gives its start and length), so that a cut-off
 * image is told apart from a whole one without reading its end.
 */
public final class DiscInspector {
  public static final int SECTOR = 2048;
  public static final int FIRST_DESCRIPTOR = 16 * SECTOR;

  /**
   * How much of the start of a file the inspector looks at: any sane descriptor set, and UDF's
   * anchor (sector 256) with a main descriptor sequence up to 32 sectors after it.
   */
  public static final int PREFIX_BYTES = 288 * SECTOR;

  private static final int UDF_ANCHOR = 256 * SECTOR;
  private static final int TAG_ANCHOR = 2;
  private static final int TAG_PARTITION = 5;
  private static final int TAG_TERMINATING = 8;

  /**
   * ECMA-167 3/10: the descriptors read here (anchor, partition, terminating) are 512 bytes; one
   * that does not fit whole in the prefix is not read.
   */
  private static final int DESCRIPTOR_BYTES = 512;

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
      long partitionEnd = udfPartitionEnd(prefix);
      return primary >= 0
          ? primary(prefix, primary, "udf", bootable, partitionEnd)
          : new Inspection.Disc(
              "udf", null, totalSize / SECTOR, SECTOR, null, bootable, partitionEnd);
    }
    if (primary >= 0) {
      // A plain ISO 9660 volume's space is the whole disc. (A UDF bridge's ISO side is left out of
      // the check: authoring tools do not all size it alike.)
      return primary(prefix, primary, "iso9660", bootable, -1);
    }
    return new Inspection.NotADisc(
        "no ISO 9660 primary volume descriptor and no UDF volume recognition sequence");
  }

  /** {@code requiredBytes} of -1: the volume space's. */
  private static Inspection primary(
      byte[] b, int at, String format, boolean bootable, long requiredBytes) {
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
        bootable,
        requiredBytes >= 0 ? requiredBytes : spaceSize * blockSize);
  }

  /**
   * ECMA-167 3/10.2 and 3/10.5: the byte where a UDF image's partition ends, or 0 when the anchor,
   * the main sequence or its partition descriptor is not in {@code prefix} (2048-byte sectors only;
   * where it is not cheap, the check is not made).
   */
  private static long udfPartitionEnd(byte[] prefix) {
    if (!tagged(prefix, UDF_ANCHOR, TAG_ANCHOR)) {
      return 0;
    }
    long length = le32(prefix, UDF_ANCHOR + 16);
    long location = le32(prefix, UDF_ANCHOR + 20);
    long end = 0;
    for (long sector = location;
        sector < location + length / SECTOR && (sector + 1) * SECTOR <= prefix.length;
        sector++) {
      int at = (int) (sector * SECTOR);
      if (tagged(prefix, at, TAG_TERMINATING)) {
        break;
      }
      if (tagged(prefix, at, TAG_PARTITION)) {
        end = Math.max(end, (le32(prefix, at + 188) + le32(prefix, at + 192)) * SECTOR);
      }
    }
    return end;
  }

  /**
   * ECMA-167 3/7.2: a descriptor tag with {@code identifier} whose checksum (the sum of its bytes
   * but the fifth) holds, so that file data is not taken for a descriptor; and the whole descriptor
   * is in {@code b}, so that its fields can be read.
   */
  private static boolean tagged(byte[] b, int at, int identifier) {
    if (at < 0 || at + DESCRIPTOR_BYTES > b.length || le16(b, at) != identifier) {
      return false;
    }
    int sum = 0;
    for (int i = 0; i < 16; i++) {
      if (i != 4) {
        sum += b[at + i] & 0xff;
      }
    }
    return (sum & 0xff) == (b[at + 4] & 0xff);
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
