package io.discs.targets.embedded.scsi;

import static io.discs.targets.embedded.scsi.ScsiOpcode.COMPARE_AND_WRITE;
import static io.discs.targets.embedded.scsi.ScsiOpcode.FORMAT_UNIT;
import static io.discs.targets.embedded.scsi.ScsiOpcode.ORWRITE_16;
import static io.discs.targets.embedded.scsi.ScsiOpcode.PRE_FETCH_10;
import static io.discs.targets.embedded.scsi.ScsiOpcode.PRE_FETCH_16;
import static io.discs.targets.embedded.scsi.ScsiOpcode.READ_10;
import static io.discs.targets.embedded.scsi.ScsiOpcode.READ_12;
import static io.discs.targets.embedded.scsi.ScsiOpcode.READ_16;
import static io.discs.targets.embedded.scsi.ScsiOpcode.READ_6;
import static io.discs.targets.embedded.scsi.ScsiOpcode.READ_CAPACITY_10;
import static io.discs.targets.embedded.scsi.ScsiOpcode.READ_CAPACITY_16;
import static io.discs.targets.embedded.scsi.ScsiOpcode.START_STOP_UNIT;
import static io.discs.targets.embedded.scsi.ScsiOpcode.SYNCHRONIZE_CACHE_10;
import static io.discs.targets.embedded.scsi.ScsiOpcode.SYNCHRONIZE_CACHE_16;
import static io.discs.targets.embedded.scsi.ScsiOpcode.UNMAP;
import static io.discs.targets.embedded.scsi.ScsiOpcode.VERIFY_10;
import static io.discs.targets.embedded.scsi.ScsiOpcode.VERIFY_16;
import static io.discs.targets.embedded.scsi.ScsiOpcode.WRITE_10;
import static io.discs.targets.embedded.scsi.ScsiOpcode.WRITE_12;
import static io.discs.targets.embedded.scsi.ScsiOpcode.WRITE_16;
import static io.discs.targets.embedded.scsi.ScsiOpcode.WRITE_6;
import static io.discs.targets.embedded.scsi.ScsiOpcode.WRITE_AND_VERIFY_10;
import static io.discs.targets.embedded.scsi.ScsiOpcode.WRITE_AND_VERIFY_12;
import static io.discs.targets.embedded.scsi.ScsiOpcode.WRITE_AND_VERIFY_16;
import static io.discs.targets.embedded.scsi.ScsiOpcode.WRITE_BUFFER;
import static io.discs.targets.embedded.scsi.ScsiOpcode.WRITE_SAME_10;
import static io.discs.targets.embedded.scsi.ScsiOpcode.WRITE_SAME_16;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The block commands (SBC-3) of a write-protected medium: reads, capacity, verify and pre-fetch
 * over the medium's range, cache and power commands that have nothing to do, and every command that
 * would change the medium refused with DATA PROTECT once its fields are valid. Optical units answer
 * the same reads (MMC-6 takes them from SBC).
 */
final class Sbc {
  private static final List<ScsiOpcode> WRITES =
      List.of(
          FORMAT_UNIT,
          WRITE_6,
          WRITE_10,
          WRITE_12,
          WRITE_16,
          WRITE_AND_VERIFY_10,
          WRITE_AND_VERIFY_12,
          WRITE_AND_VERIFY_16,
          WRITE_SAME_10,
          WRITE_SAME_16,
          UNMAP,
          COMPARE_AND_WRITE,
          ORWRITE_16,
          WRITE_BUFFER);

  private final Medium medium;

  Sbc(Medium medium) {
    this.medium = medium;
  }

  /** What INQUIRY and MODE SENSE say of a disk. */
  static UnitProfile diskProfile(Medium medium) {
    SortedMap<Integer, byte[]> vpd = new TreeMap<>();
    vpd.put(0xb0, blockLimits(medium));
    vpd.put(0xb1, characteristics());
    vpd.put(0xb2, new byte[4]); // logical block provisioning: none
    SortedMap<Integer, byte[]> modePages = new TreeMap<>();
    modePages.put(
        0x08, new byte[] {0x08, 0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    byte[] descriptor = new byte[8];
    ByteBuffer.wrap(descriptor)
        .putInt((int) Math.min(medium.blocks(), 0xffffffL))
        .putInt(medium.blockSize());
    return new UnitProfile(0x00, false, "VIRTUAL-DISK", 0x04c0, vpd, modePages, descriptor);
  }

  void addTo(CommandSet.Builder table) {
    table
        .add(
            READ_6, cdb -> medium.read(Cdb.u21(cdb, 1), Cdb.u8(cdb, 4) == 0 ? 256 : Cdb.u8(cdb, 4)))
        .add(READ_10, cdb -> read(cdb, Cdb.u32(cdb, 2), Cdb.u16(cdb, 7)))
        .add(READ_12, cdb -> read(cdb, Cdb.u32(cdb, 2), Cdb.u32(cdb, 6)))
        .add(READ_16, cdb -> read(cdb, Cdb.u64(cdb, 2), Cdb.u32(cdb, 10)))
        .add(READ_CAPACITY_10, cdb -> readCapacity10())
        .add(READ_CAPACITY_16, this::readCapacity16)
        .add(VERIFY_10, cdb -> verify(cdb, Cdb.u32(cdb, 2), Cdb.u16(cdb, 7)))
        .add(VERIFY_16, cdb -> verify(cdb, Cdb.u64(cdb, 2), Cdb.u32(cdb, 10)))
        .add(PRE_FETCH_10, cdb -> medium.checkRange(Cdb.u32(cdb, 2), Cdb.u16(cdb, 7)))
        .add(PRE_FETCH_16, cdb -> medium.checkRange(Cdb.u64(cdb, 2), Cdb.u32(cdb, 10)))
        .addAll(
            List.of(SYNCHRONIZE_CACHE_10, SYNCHRONIZE_CACHE_16, START_STOP_UNIT),
            cdb -> Cdb.good());
    for (ScsiOpcode write : WRITES) {
      table.add(write, cdb -> writeProtected(write, cdb));
    }
  }

  private ScsiResult read(byte[] cdb, long lba, long count) {
    return protectionField(cdb) || Cdb.cachingBitsSet(cdb)
        ? Cdb.invalidField()
        : medium.read(lba, count);
  }

  private ScsiResult verify(byte[] cdb, long lba, long count) {
    if (protectionField(cdb) || Cdb.cachingBitsSet(cdb)) {
      return Cdb.invalidField();
    }
    if ((cdb[1] & 0x06) != 0) {
      // BYTCHK=1 would compare data we will not take
      return new ScsiResult.CheckCondition(Sense.INVALID_OPCODE);
    }
    return medium.checkRange(lba, count);
  }

  /** A field this unit cannot honour is an error before the write protection is. */
  private static ScsiResult writeProtected(ScsiOpcode write, byte[] cdb) {
    return write.hasCachingBits() && Cdb.cachingBitsSet(cdb)
        ? Cdb.invalidField()
        : new ScsiResult.CheckCondition(Sense.WRITE_PROTECTED);
  }

  /**
   * RDPROTECT / VRPROTECT: this device has no protection information, so any value but 0 is
   * invalid.
   */
  private static boolean protectionField(byte[] cdb) {
    return (cdb[1] & 0xe0) != 0;
  }

  private ScsiResult readCapacity10() {
    byte[] b = new byte[8];
    long last = medium.blocks() - 1;
    ByteBuffer.wrap(b).putInt((int) Math.min(last, 0xffffffffL)).putInt(medium.blockSize());
    return new ScsiResult.Data(b);
  }

  private ScsiResult readCapacity16(byte[] cdb) {
    byte[] b = new byte[32];
    ByteBuffer.wrap(b).putLong(medium.blocks() - 1).putInt(medium.blockSize());
    return Cdb.data(b, Cdb.u32(cdb, 10));
  }

  private static byte[] blockLimits(Medium medium) {
    byte[] b = new byte[60];
    ByteBuffer.wrap(b, 4, 4).putInt(Medium.MAX_TRANSFER_BYTES / medium.blockSize());
    ByteBuffer.wrap(b, 8, 4).putInt(128); // optimal transfer length (64 KiB of 512-byte blocks)
    return b;
  }

  private static byte[] characteristics() {
    byte[] b = new byte[60];
    b[1] = 0x01; // non-rotating medium
    return b;
  }
}
