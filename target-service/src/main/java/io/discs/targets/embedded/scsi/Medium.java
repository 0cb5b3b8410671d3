package io.discs.targets.embedded.scsi;

/**
 * The medium's geometry. The block count is rounded up: an image whose size is not a whole number
 * of blocks is served whole, its last block padded with zeros by the block source.
 */
record Medium(int blockSize, long blocks) {
  /** The most one command may read: 8 MiB, said in the Block Limits page. */
  static final int MAX_TRANSFER_BYTES = 8 << 20;

  static Medium of(long sizeBytes, int blockSize) {
    return new Medium(blockSize, (sizeBytes + blockSize - 1) / blockSize);
  }

  ScsiResult read(long lba, long count) {
    if (!inRange(lba, count)) {
      return new ScsiResult.CheckCondition(Sense.LBA_OUT_OF_RANGE);
    }
    if (count == 0) {
      return Cdb.good();
    }
    if (count * blockSize > MAX_TRANSFER_BYTES) {
      return Cdb.invalidField();
    }
    return new ScsiResult.MediumRead(lba * blockSize, (int) (count * blockSize));
  }

  ScsiResult checkRange(long lba, long count) {
    return inRange(lba, count) ? Cdb.good() : new ScsiResult.CheckCondition(Sense.LBA_OUT_OF_RANGE);
  }

  /**
   * Whether blocks [lba, lba + count) are on the medium. READ(16) carries a 64-bit LBA: the sum
   * would overflow, so the count is compared with what is left after the LBA instead.
   */
  private boolean inRange(long lba, long count) {
    return lba >= 0 && count >= 0 && lba <= blocks && count <= blocks - lba;
  }
}
