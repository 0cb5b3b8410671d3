package io.discs.targets.embedded.scsi;

/** What one operation code does: a pure function of the CDB. */
@FunctionalInterface
interface CommandHandler {
  ScsiResult execute(byte[] cdb);
}
