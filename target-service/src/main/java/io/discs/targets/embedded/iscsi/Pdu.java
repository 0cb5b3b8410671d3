package io.discs.targets.embedded.iscsi;

import io.vertx.core.buffer.Buffer;

/** One iSCSI PDU: the 48-byte basic header segment and its data segment (padding removed). */
public record Pdu(Buffer bhs, Buffer data) {
  public static final int BHS = 48;

  public int opcode() {
    return bhs.getByte(0) & 0x3f;
  }

  public boolean immediate() {
    return (bhs.getByte(0) & 0x40) != 0;
  }

  public int flags() {
    return bhs.getByte(1) & 0xff;
  }

  public int itt() {
    return bhs.getInt(16);
  }

  public long lun() {
    return bhs.getLong(8);
  }

  public long u32(int at) {
    return bhs.getInt(at) & 0xffffffffL;
  }

  /** A new outgoing header with opcode and flags set, everything else zero. */
  public static Buffer header(int opcode, int flags) {
    Buffer b = Buffer.buffer(new byte[BHS]);
    b.setByte(0, (byte) opcode);
    b.setByte(1, (byte) flags);
    return b;
  }

  /** The data segment length, bytes 5 to 7 of the header. */
  public static void setDataLength(Buffer header, int length) {
    header.setByte(5, (byte) (length >>> 16));
    header.setByte(6, (byte) (length >>> 8));
    header.setByte(7, (byte) length);
  }

  /** Header, data length in bytes 5-7, data and zero padding to four bytes, in one buffer. */
  public static Buffer encode(Buffer header, Buffer data) {
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
