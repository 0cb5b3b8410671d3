package io.discs.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/**
 * Disc images made at test time without any tool: a minimal but well-formed ISO 9660 volume
 * (primary volume descriptor, optional El Torito boot record, terminator, root directory) or a UDF
 * volume recognition sequence, followed by deterministic filler up to the requested size.
 */
public final class DiscImages {
  public static final int SECTOR = 2048;

  private DiscImages() {}

  public static Path iso9660(
      Path file, String volumeId, long sizeBytes, boolean bootable, long seed) throws IOException {
    long sectors = sizeBytes / SECTOR;
    byte[] head = new byte[20 * SECTOR];
    int at = 16 * SECTOR;
    primaryVolumeDescriptor(head, at, volumeId, sectors);
    at += SECTOR;
    if (bootable) {
      head[at] = 0;
      ascii(head, at + 1, "CD001");
      head[at + 6] = 1;
      ascii(head, at + 7, "EL TORITO SPECIFICATION");
      ByteBuffer.wrap(head, at + 71, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(19);
      at += SECTOR;
    }
    head[at] = (byte) 255;
    ascii(head, at + 1, "CD001");
    head[at + 6] = 1;
    return write(file, head, sizeBytes, seed);
  }

  public static Path udf(Path file, long sizeBytes, long seed) throws IOException {
    byte[] head = new byte[20 * SECTOR];
    String[] sequence = {"BEA01", "NSR02", "TEA01"};
    for (int i = 0; i < sequence.length; i++) {
      int at = (16 + i) * SECTOR;
      ascii(head, at + 1, sequence[i]);
      head[at + 6] = 1;
    }
    return write(file, head, sizeBytes, seed);
  }

  /**
   * A real UDF file system made by {@code mkudffs} (Debian {@code udftools}) on a file of {@code
   * sizeBytes}: anchor at sector 256, main descriptor sequence, partition, as other tools lay them
   * out.
   */
  public static Path mkudffs(Path file, long sizeBytes, String label) throws Exception {
    Path tool = SystemTools.require("mkudffs", "udftools");
    try (var out =
        java.nio.channels.FileChannel.open(
            file,
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.WRITE)) {
      out.truncate(0);
      out.write(ByteBuffer.allocate(1), sizeBytes - 1);
    }
    Processes.check(
        java.util.List.of(
            tool.toString(),
            "--media-type=hd",
            "--blocksize=2048",
            "--label=" + label,
            file.toString()),
        java.time.Duration.ofSeconds(60));
    return file;
  }

  public static String sha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (var in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void primaryVolumeDescriptor(byte[] b, int at, String volumeId, long sectors) {
    b[at] = 1;
    ascii(b, at + 1, "CD001");
    b[at + 6] = 1;
    padded(b, at + 8, 32, "LINUX");
    padded(b, at + 40, 32, volumeId);
    bothEndian32(b, at + 80, (int) sectors);
    bothEndian16(b, at + 120, 1);
    bothEndian16(b, at + 124, 1);
    bothEndian16(b, at + 128, SECTOR);
    bothEndian32(b, at + 132, 10);
    // Root directory record: one sector at 18 (after the descriptors), flagged as a directory.
    int root = at + 156;
    b[root] = 34;
    bothEndian32(b, root + 2, 18);
    bothEndian32(b, root + 10, SECTOR);
    b[root + 25] = 2;
    bothEndian16(b, root + 28, 1);
    b[root + 32] = 1;
    ascii(b, at + 813, "2026112512000000");
    b[at + 829] = 4; // UTC+1 in 15-minute steps
    b[at + 881] = 1;
  }

  private static Path write(Path file, byte[] head, long sizeBytes, long seed) throws IOException {
    if (sizeBytes % SECTOR != 0 || sizeBytes < head.length) {
      throw new IllegalArgumentException(
          "size must be a whole number of sectors, at least " + head.length);
    }
    Random random = new Random(seed);
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(head);
      long left = sizeBytes - head.length;
      while (left > 0) {
        random.nextBytes(chunk);
        int n = (int) Math.min(chunk.length, left);
        out.write(chunk, 0, n);
        left -= n;
      }
    }
    return file;
  }

  private static void ascii(byte[] b, int at, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, b, at, bytes.length);
  }

  private static void padded(byte[] b, int at, int length, String text) {
    Arrays.fill(b, at, at + length, (byte) ' ');
    ascii(b, at, text.substring(0, Math.min(length, text.length())));
  }

  private static void bothEndian16(byte[] b, int at, int value) {
    ByteBuffer.wrap(b, at, 2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) value);
    ByteBuffer.wrap(b, at + 2, 2).order(ByteOrder.BIG_ENDIAN).putShort((short) value);
  }

  private static void bothEndian32(byte[] b, int at, int value) {
    ByteBuffer.wrap(b, at, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(value);
    ByteBuffer.wrap(b, at + 4, 4).order(ByteOrder.BIG_ENDIAN).putInt(value);
  }
}
