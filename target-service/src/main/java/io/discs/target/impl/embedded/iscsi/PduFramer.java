package io.discs.target.impl.embedded.iscsi;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * Cuts a byte stream into PDUs. Bounded: a data segment longer than the limit, or AHS at all (this
 * target has no use for extended CDBs), makes the connection fail rather than buffer without end.
 */
final class PduFramer implements Handler<Buffer> {
  private final int maxDataSegment;
  private final Handler<Pdu> pdus;
  private final Handler<String> violations;
  private Buffer pending = Buffer.buffer();
  private boolean failed;

  PduFramer(int maxDataSegment, Handler<Pdu> pdus, Handler<String> violations) {
    this.maxDataSegment = maxDataSegment;
    this.pdus = pdus;
    this.violations = violations;
  }

  @Override
  public void handle(Buffer chunk) {
    if (failed) {
      return;
    }
    pending.appendBuffer(chunk);
    int at = 0;
    while (pending.length() - at >= Pdu.BHS) {
      int ahs = (pending.getByte(at + 4) & 0xff) * 4;
      int dataLength = (pending.getByte(at + 5) & 0xff) << 16 | (pending.getByte(at + 6) & 0xff) << 8
          | (pending.getByte(at + 7) & 0xff);
      if (dataLength > maxDataSegment || ahs > 1024) {
        failed = true;
        violations.handle("PDU larger than negotiated (" + dataLength + " bytes of data, " + ahs + " of AHS)");
        return;
      }
      int padded = (dataLength + 3) & ~3;
      int total = Pdu.BHS + ahs + padded;
      if (pending.length() - at < total) {
        break;
      }
      Buffer bhs = pending.getBuffer(at, at + Pdu.BHS);
      Buffer data = pending.getBuffer(at + Pdu.BHS + ahs, at + Pdu.BHS + ahs + dataLength);
      at += total;
      pdus.handle(new Pdu(bhs, data));
      if (failed) {
        return;
      }
    }
    pending = at == pending.length() ? Buffer.buffer() : pending.getBuffer(at, pending.length());
  }

  void fail() {
    failed = true;
  }
}
