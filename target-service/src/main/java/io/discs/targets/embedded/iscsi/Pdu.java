package io.discs.targets.embedded.iscsi;

import io.vertx.core.buffer.Buffer;

/**
 * One PDU from an initiator: the 48-byte basic header segment and its data segment (padding
 * removed), with the header's fields by name (RFC 7143 section 11). The only place that knows where
 * a request's fields sit; {@link ResponseHeader} is the same for what this target sends.
 */
public record Pdu(Buffer bhs, Buffer data) {
  public static final int BHS = 48;

  /** The Initiator Task Tag of an unsolicited NOP-Out, and the tag of "none" everywhere. */
  static final int NO_TAG = 0xffffffff;

  Opcode opcode() {
    return Opcode.of(bhs.getByte(0) & 0x3f);
  }

  /** The raw opcode, for log lines about ones this target does not know. */
  int opcodeCode() {
    return bhs.getByte(0) & 0x3f;
  }

  boolean immediate() {
    return (bhs.getByte(0) & 0x40) != 0;
  }

  int flags() {
    return bhs.getByte(1) & 0xff;
  }

  /** The final bit (F), or for a Login Request the transit bit (T). */
  boolean finalOrTransit() {
    return (flags() & 0x80) != 0;
  }

  /** Login Request: the continue bit (C). */
  boolean loginContinues() {
    return (flags() & 0x40) != 0;
  }

  /** Login Request: the current stage (CSG). */
  int currentStage() {
    return (flags() >> 2) & 0x03;
  }

  /** Login Request: the next stage (NSG). */
  int nextStage() {
    return flags() & 0x03;
  }

  /** Task Management Request: the function (ABORT TASK is 1, LUN RESET 5, ...). */
  int taskFunction() {
    return flags() & 0x7f;
  }

  long lun() {
    return bhs.getLong(8);
  }

  /** Login Request: the initiator's session id (ISID). */
  byte[] isid() {
    return bhs.getBytes(8, 14);
  }

  /** Login Request: the target's session handle; zero asks for a new session. */
  int tsih() {
    return bhs.getUnsignedShort(14);
  }

  int itt() {
    return bhs.getInt(16);
  }

  /** Task Management Request: the Referenced Task Tag (the ITT of the task to abort). */
  int referencedTaskTag() {
    return bhs.getInt(20);
  }

  /** SCSI Command: the Expected Data Transfer Length. */
  int expectedDataLength() {
    return bhs.getInt(20);
  }

  long cmdSn() {
    return u32(24);
  }

  long expStatSn() {
    return u32(28);
  }

  /** SCSI Command: the command descriptor block (16 bytes; longer CDBs would need an AHS). */
  byte[] cdb() {
    return bhs.getBytes(32, 48);
  }

  private long u32(int at) {
    return bhs.getInt(at) & 0xffffffffL;
  }

  /** The data segment length of a header, bytes 5 to 7. */
  static void setDataLength(Buffer header, int length) {
    header.setByte(5, (byte) (length >>> 16));
    header.setByte(6, (byte) (length >>> 8));
    header.setByte(7, (byte) length);
  }

  /** Header, data length in bytes 5-7, data and zero padding to four bytes, in one buffer. */
  static Buffer encode(Buffer header, Buffer data) {
    int length = data == null ? 0 : data.length();
    setDataLength(header, length);
    Buffer out = Buffer.buffer(BHS + length + 3);
    out.appendBuffer(header);
    if (length > 0) {
      out.appendBuffer(data);
      int pad = (4 - length % 4) % 4;
      for (int i = 0; i < pad; i++) {
        out.appendByte((byte) 0);
      }
    }
    return out;
  }
}
