package io.discs.targets.embedded.iscsi;

import io.vertx.core.buffer.Buffer;

/**
 * The basic header of a PDU this target sends, field by field (RFC 7143 section 11): the only place
 * that knows where a response's fields sit. Fields a response does not set stay zero.
 */
final class ResponseHeader {
  /** The F bit of a response's flags byte: the final PDU of the answer (RFC 7143 §11). */
  static final int FINAL = 0x80;

  private final Buffer bhs = Buffer.buffer(new byte[Pdu.BHS]);

  private ResponseHeader(Opcode opcode, int flags) {
    bhs.setByte(0, (byte) opcode.code);
    bhs.setByte(1, (byte) flags);
  }

  static ResponseHeader of(Opcode opcode, int flags) {
    return new ResponseHeader(opcode, flags);
  }

  /** Byte 2: a Task Management or Logout Response's response, or a Reject's reason. */
  ResponseHeader response(int response) {
    bhs.setByte(2, (byte) response);
    return this;
  }

  /** Byte 3: the SCSI status of a SCSI Response or of a Data-In that carries it. */
  ResponseHeader status(int status) {
    bhs.setByte(3, (byte) status);
    return this;
  }

  ResponseHeader lun(long lun) {
    bhs.setLong(8, lun);
    return this;
  }

  /** Login Response: the ISID and TSIH of the session (bytes 8 to 15). */
  ResponseHeader session(byte[] isid, int tsih) {
    bhs.setBytes(8, isid);
    bhs.setShort(14, (short) tsih);
    return this;
  }

  ResponseHeader itt(int itt) {
    bhs.setInt(16, itt);
    return this;
  }

  /** Target Transfer Tag (for a SCSI Response, the SNACK tag at the same place). */
  ResponseHeader ttt(int ttt) {
    bhs.setInt(20, ttt);
    return this;
  }

  /** StatSN, ExpCmdSN and MaxCmdSN: every response carries the three. */
  ResponseHeader sequence(long statSn, long expCmdSn, long maxCmdSn) {
    bhs.setInt(24, (int) statSn);
    bhs.setInt(28, (int) expCmdSn);
    bhs.setInt(32, (int) maxCmdSn);
    return this;
  }

  /** Login Response: status class and detail (bytes 36, 37). */
  ResponseHeader loginStatus(int statusClass, int detail) {
    bhs.setByte(36, (byte) statusClass);
    bhs.setByte(37, (byte) detail);
    return this;
  }

  /** Data-In: DataSN and Buffer Offset. */
  ResponseHeader dataSequence(int dataSn, int bufferOffset) {
    bhs.setInt(36, dataSn);
    bhs.setInt(40, bufferOffset);
    return this;
  }

  /** SCSI Response or final Data-In: the Residual Count. */
  ResponseHeader residual(int residual) {
    bhs.setInt(44, residual);
    return this;
  }

  Buffer buffer() {
    return bhs;
  }
}
