package io.discs.targets.embedded.scsi;

import java.util.Arrays;

/** Big-endian fields of a CDB, and data cut to the allocation length the CDB gives. */
final class Cdb {
  private Cdb() {}

  static int u8(byte[] b, int at) {
    return b[at] & 0xff;
  }

  static int u16(byte[] b, int at) {
    return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
  }

  static long u21(byte[] b, int at) {
    return (b[at] & 0x1fL) << 16 | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL);
  }

  static long u32(byte[] b, int at) {
    return (b[at] & 0xffL) << 24
        | (b[at + 1] & 0xffL) << 16
        | (b[at + 2] & 0xffL) << 8
        | (b[at + 3] & 0xffL);
  }

  static long u64(byte[] b, int at) {
    return u32(b, at) << 32 | u32(b, at + 4);
  }

  static ScsiResult data(byte[] bytes, long allocation) {
    return new ScsiResult.Data(Arrays.copyOf(bytes, (int) Math.min(bytes.length, allocation)));
  }

  static ScsiResult invalidField() {
    return new ScsiResult.CheckCondition(Sense.INVALID_FIELD_IN_CDB);
  }

  static ScsiResult good() {
    return new ScsiResult.Good();
  }

  /** DPO or FUA set where this target says (DPOFUA = 0) it takes neither. */
  static boolean cachingBitsSet(byte[] cdb) {
    return (cdb[1] & ScsiOpcode.DPO_FUA) != 0;
  }
}
