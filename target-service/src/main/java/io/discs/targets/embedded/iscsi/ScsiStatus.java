package io.discs.targets.embedded.iscsi;

/** The SCSI status a SCSI Response carries (SAM-5 §5.3). */
enum ScsiStatus {
  GOOD(0x00),
  CHECK_CONDITION(0x02),
  TASK_SET_FULL(0x28);

  final int code;

  ScsiStatus(int code) {
    this.code = code;
  }
}
