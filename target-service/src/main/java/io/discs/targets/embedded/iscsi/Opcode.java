package io.discs.targets.embedded.iscsi;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/** The iSCSI opcodes (RFC 7143 section 11.1.1) this target reads or writes. */
enum Opcode {
  NOP_OUT(0x00),
  SCSI_COMMAND(0x01),
  TASK_MANAGEMENT_REQUEST(0x02),
  LOGIN_REQUEST(0x03),
  TEXT_REQUEST(0x04),
  DATA_OUT(0x05),
  LOGOUT_REQUEST(0x06),
  NOP_IN(0x20),
  SCSI_RESPONSE(0x21),
  TASK_MANAGEMENT_RESPONSE(0x22),
  LOGIN_RESPONSE(0x23),
  TEXT_RESPONSE(0x24),
  DATA_IN(0x25),
  LOGOUT_RESPONSE(0x26),
  REJECT(0x3f),
  /** Anything else an initiator sends (SNACK among them): answered with a Reject. */
  UNSUPPORTED(-1);

  private static final Map<Integer, Opcode> BY_CODE =
      Arrays.stream(values())
          .filter(opcode -> opcode.code >= 0)
          .collect(Collectors.toUnmodifiableMap(opcode -> opcode.code, opcode -> opcode));

  final int code;

  Opcode(int code) {
    this.code = code;
  }

  static Opcode of(int code) {
    return BY_CODE.getOrDefault(code, UNSUPPORTED);
  }

  /** Requests that carry a CmdSN the command window orders (RFC 7143 section 3.2.2.1). */
  boolean numbered() {
    return this == SCSI_COMMAND
        || this == TASK_MANAGEMENT_REQUEST
        || this == TEXT_REQUEST
        || this == LOGOUT_REQUEST
        || this == NOP_OUT;
  }
}
