package io.discs.targets.embedded.scsi;

/**
 * What a command produces: data made up on the spot, a range of the medium, nothing, or an error.
 */
public sealed interface ScsiResult
    permits ScsiResult.Data, ScsiResult.MediumRead, ScsiResult.Good, ScsiResult.CheckCondition {

  /**
   * Data the command set built (INQUIRY, MODE SENSE, ...), already cut to the allocation length.
   */
  record Data(byte[] bytes) implements ScsiResult {}

  /** Bytes to read from the backing store. */
  record MediumRead(long offset, int length) implements ScsiResult {}

  record Good() implements ScsiResult {}

  record CheckCondition(Sense sense) implements ScsiResult {}
}
