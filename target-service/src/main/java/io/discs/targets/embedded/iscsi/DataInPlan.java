package io.discs.targets.embedded.iscsi;

import java.util.ArrayList;
import java.util.List;

/**
 * How the answer to a read is cut into Data-In PDUs (RFC 7143 sections 11.7 and 13.13): segments no
 * longer than the initiator's MaxRecvDataSegmentLength, the F bit at the end of every burst of
 * MaxBurstLength, and the status (S bit, with underflow or overflow and the residual) in the last.
 */
final class DataInPlan {
  static final int FINAL = 0x80;
  static final int STATUS = 0x01;
  static final int OVERFLOW = 0x04;
  static final int UNDERFLOW = 0x02;

  /** One Data-In PDU: its flags, DataSN, buffer offset and length. */
  record Segment(int flags, int dataSn, int offset, int length) {
    boolean last() {
      return (flags & STATUS) != 0;
    }
  }

  private DataInPlan() {}

  /**
   * The PDUs for {@code available} bytes read when the initiator expects {@code expected}; empty
   * when there is nothing to send (the status then goes in a SCSI Response, {@link
   * #residualFlags}).
   */
  static List<Segment> plan(int available, int expected, int maxRecv, int maxBurst) {
    int length = Math.min(available, expected);
    List<Segment> segments = new ArrayList<>();
    int burstUsed = 0;
    for (int offset = 0; offset < length; ) {
      int size = Math.min(maxRecv, Math.min(length - offset, maxBurst - burstUsed));
      boolean last = offset + size == length;
      burstUsed += size;
      boolean endOfBurst = last || burstUsed == maxBurst;
      int flags =
          (endOfBurst ? FINAL : 0) | (last ? STATUS | residualFlags(available, expected) : 0);
      segments.add(new Segment(flags, segments.size(), offset, size));
      offset += size;
      if (endOfBurst) {
        burstUsed = 0;
      }
    }
    return segments;
  }

  /** O (more read than expected) or U (less), as the final Data-In or SCSI Response carries. */
  static int residualFlags(int available, int expected) {
    return available > expected ? OVERFLOW : available < expected ? UNDERFLOW : 0;
  }

  static int residual(int available, int expected) {
    return Math.abs(expected - available);
  }
}
