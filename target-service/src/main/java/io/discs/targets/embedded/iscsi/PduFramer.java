package io.discs.targets.embedded.iscsi;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * Cuts a byte stream into PDUs. Bounded: a data segment longer than the negotiated limit makes the
 * connection fail rather than buffer without end. Additional header segments are skipped (this
 * target has no use for extended CDBs); their one-byte TotalAHSLength bounds them at 1,020 bytes.
 */
final class PduFramer implements Handler<Buffer> {
  private int maxDataSegment;
  private final Handler<Pdu> pdus;
  private final Handler<String> violations;
  private final Handler<Pdu> badDataDigest;
  private Buffer pending = Buffer.buffer();
  private boolean failed;
  private boolean headerDigest;
  private boolean dataDigest;

  PduFramer(
      int maxDataSegment,
      Handler<Pdu> pdus,
      Handler<String> violations,
      Handler<Pdu> badDataDigest) {
    this.maxDataSegment = maxDataSegment;
    this.pdus = pdus;
    this.violations = violations;
    this.badDataDigest = badDataDigest;
  }

  /** The largest data segment accepted from now on (small during login, the negotiated after). */
  void limit(int maxDataSegment) {
    this.maxDataSegment = maxDataSegment;
  }

  /** Digests apply from the first PDU after login (RFC 7143 section 13.1). */
  void useDigests(boolean header, boolean data) {
    this.headerDigest = header;
    this.dataDigest = data;
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
      int dataLength =
          (pending.getByte(at + 5) & 0xff) << 16
              | (pending.getByte(at + 6) & 0xff) << 8
              | (pending.getByte(at + 7) & 0xff);
      if (dataLength > maxDataSegment) {
        failed = true;
        violations.handle(
            "PDU larger than negotiated ("
                + dataLength
                + " bytes of data, "
                + maxDataSegment
                + " allowed)");
        return;
      }
      int padded = (dataLength + 3) & ~3;
      int headerEnd = at + Pdu.BHS + ahs;
      int dataStart = headerEnd + (headerDigest ? 4 : 0);
      int total = dataStart - at + padded + (dataDigest && dataLength > 0 ? 4 : 0);
      if (pending.length() - at < total) {
        break;
      }
      if (headerDigest && Digests.crc32c(pending, at, headerEnd) != pending.getIntLE(headerEnd)) {
        failed = true;
        violations.handle("header digest mismatch");
        return;
      }
      Buffer bhs = pending.getBuffer(at, at + Pdu.BHS);
      Buffer data = pending.getBuffer(dataStart, dataStart + dataLength);
      boolean dataIntact =
          !(dataDigest && dataLength > 0)
              || Digests.crc32c(pending, dataStart, dataStart + padded)
                  == pending.getIntLE(dataStart + padded);
      at += total;
      if (dataIntact) {
        pdus.handle(new Pdu(bhs, data));
      } else {
        badDataDigest.handle(new Pdu(bhs, data));
      }
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
