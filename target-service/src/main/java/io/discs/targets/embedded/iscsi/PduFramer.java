package io.discs.targets.embedded.iscsi;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * Cuts a byte stream into PDUs, as a state machine: it waits for a basic header segment, reads from
 * it how long the PDU is, waits for the rest, hands the PDU on, and starts over; a violation ends
 * it for good. Bounded: a data segment longer than the negotiated limit fails the connection rather
 * than buffer without end. Additional header segments are skipped (this target has no use for
 * extended CDBs); their one-byte TotalAHSLength, in 4-byte words, bounds them at 1,020 bytes.
 */
final class PduFramer implements Handler<Buffer> {
  /** Where the framer stands in the stream. */
  private enum State {
    /** Waiting for the next PDU's 48-byte basic header segment. */
    HEADER,
    /** The header is measured ({@link #frame}); waiting for the rest of the PDU. */
    SEGMENTS,
    /** A violation ended the stream; whatever arrives is ignored. */
    FAILED
  }

  /**
   * What a PDU's header says of its length, relative to its first byte.
   *
   * @param headerEnd where the header segments end (the header digest, if any, starts there)
   * @param dataStart where the data segment starts
   * @param dataLength the data segment's length, without padding
   * @param padded the data segment's length padded to a multiple of 4
   * @param total the whole PDU, digests included
   */
  private record Frame(int headerEnd, int dataStart, int dataLength, int padded, int total) {}

  private static final int TOTAL_AHS_LENGTH = 4;
  private static final int DATA_SEGMENT_LENGTH = 5;
  private static final int DIGEST_BYTES = 4;

  private final Handler<Pdu> pdus;
  private final Handler<String> violations;
  private final Handler<Pdu> badDataDigest;
  private int maxDataSegment;
  private boolean headerDigest;
  private boolean dataDigest;

  private State state = State.HEADER;
  private Frame frame;
  private Buffer pending = Buffer.buffer();

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

  /** Ends the stream: nothing more is framed. */
  void fail() {
    state = State.FAILED;
  }

  @Override
  public void handle(Buffer chunk) {
    if (state == State.FAILED) {
      return;
    }
    pending.appendBuffer(chunk);
    int at = 0;
    while (state != State.FAILED) {
      int available = pending.length() - at;
      if (state == State.HEADER) {
        if (available < Pdu.BHS) {
          break;
        }
        frame = measure(at);
        if (frame != null) {
          state = State.SEGMENTS;
        }
      } else {
        if (available < frame.total()) {
          break;
        }
        deliver(at, frame);
        at += frame.total();
        if (state != State.FAILED) {
          state = State.HEADER;
        }
      }
    }
    if (state != State.FAILED) {
      pending = at == pending.length() ? Buffer.buffer() : pending.getBuffer(at, pending.length());
    }
  }

  /** The lengths the header at {@code at} announces, or null (and failed) past the limit. */
  private Frame measure(int at) {
    int ahs = (pending.getByte(at + TOTAL_AHS_LENGTH) & 0xff) * 4;
    int dataLength =
        (pending.getByte(at + DATA_SEGMENT_LENGTH) & 0xff) << 16
            | (pending.getByte(at + DATA_SEGMENT_LENGTH + 1) & 0xff) << 8
            | (pending.getByte(at + DATA_SEGMENT_LENGTH + 2) & 0xff);
    if (dataLength > maxDataSegment) {
      violated(
          "PDU larger than negotiated ("
              + dataLength
              + " bytes of data, "
              + maxDataSegment
              + " allowed)");
      return null;
    }
    int padded = (dataLength + 3) & ~3;
    int headerEnd = Pdu.BHS + ahs;
    int dataStart = headerEnd + (headerDigest ? DIGEST_BYTES : 0);
    int total = dataStart + padded + (dataDigest && dataLength > 0 ? DIGEST_BYTES : 0);
    return new Frame(headerEnd, dataStart, dataLength, padded, total);
  }

  /** Checks the digests of the whole PDU at {@code at} and hands it on. */
  private void deliver(int at, Frame pdu) {
    int headerEnd = at + pdu.headerEnd();
    if (headerDigest && Digests.crc32c(pending, at, headerEnd) != pending.getIntLE(headerEnd)) {
      violated("header digest mismatch");
      return;
    }
    int dataStart = at + pdu.dataStart();
    Buffer bhs = pending.getBuffer(at, at + Pdu.BHS);
    Buffer data = pending.getBuffer(dataStart, dataStart + pdu.dataLength());
    boolean dataIntact =
        !(dataDigest && pdu.dataLength() > 0)
            || Digests.crc32c(pending, dataStart, dataStart + pdu.padded())
                == pending.getIntLE(dataStart + pdu.padded());
    if (dataIntact) {
      pdus.handle(new Pdu(bhs, data));
    } else {
      badDataDigest.handle(new Pdu(bhs, data));
    }
  }

  private void violated(String why) {
    state = State.FAILED;
    violations.handle(why);
  }
}
