package io.discs.targets.embedded.iscsi;

import io.discs.targets.embedded.backing.FileRange;
import io.discs.targets.embedded.scsi.Sense;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.function.Supplier;

/**
 * How the answer to a SCSI command goes out: Data-In PDUs cut at the initiator's
 * MaxRecvDataSegmentLength and MaxBurstLength with the status riding in the last one, their data
 * from memory or straight from a file; or a SCSI Response with status and sense. Every PDU is
 * numbered by the session's {@link CommandWindow}; after each, {@code sent} lets the connection
 * decide whether to keep reading.
 */
final class ScsiAnswers {
  private final PduTransport transport;
  private final CommandWindow window;
  private final Supplier<OperationalKeys> negotiated;
  private final Runnable sent;

  ScsiAnswers(
      PduTransport transport,
      CommandWindow window,
      Supplier<OperationalKeys> negotiated,
      Runnable sent) {
    this.transport = transport;
    this.window = window;
    this.negotiated = negotiated;
    this.sent = sent;
  }

  /** Sends one Data-In PDU: its header and {@code length} bytes of the answer from {@code at}. */
  @FunctionalInterface
  private interface SegmentSender {
    Future<Void> send(ResponseHeader header, int at, int length);
  }

  Future<Void> data(Pdu pdu, Buffer data, int expected) {
    return dataIn(
        pdu,
        data.length(),
        expected,
        (header, at, length) -> sent(transport.send(header, data.slice(at, at + length))));
  }

  /** Data-In whose bytes the kernel sends from the page cache: nothing is copied here. */
  Future<Void> fromFile(Pdu pdu, FileRange range, int expected) {
    return dataIn(
        pdu,
        range.length(),
        expected,
        (header, at, length) ->
            sent(
                transport.sendFromFile(
                    header, new FileRange(range.path(), range.offset() + at, length))));
  }

  Future<Void> status(Pdu pdu, ScsiStatus status, Sense sense, int residualFlags, int residual) {
    ResponseHeader header =
        window
            .stamp(
                ResponseHeader.of(Opcode.SCSI_RESPONSE, ResponseHeader.FINAL | residualFlags)
                    .status(status.code)
                    .itt(pdu.itt()),
                true)
            .residual(residual);
    Buffer data = null;
    if (sense != null) {
      byte[] bytes = sense.bytes();
      data = Buffer.buffer().appendShort((short) bytes.length).appendBytes(bytes);
    }
    return sent(transport.send(header, data));
  }

  private Future<Void> dataIn(Pdu pdu, int length, int expected, SegmentSender sender) {
    int residual = DataInPlan.residual(length, expected);
    OperationalKeys keys = negotiated.get();
    List<DataInPlan.Segment> segments =
        DataInPlan.plan(length, expected, keys.theirMaxRecv(), keys.maxBurst());
    if (segments.isEmpty()) {
      return status(
          pdu, ScsiStatus.GOOD, null, DataInPlan.residualFlags(length, expected), residual);
    }
    Future<Void> written = Future.succeededFuture();
    for (DataInPlan.Segment segment : segments) {
      ResponseHeader header =
          window
              .stamp(
                  ResponseHeader.of(Opcode.DATA_IN, segment.flags())
                      .lun(pdu.lun())
                      .itt(pdu.itt())
                      .ttt(Pdu.NO_TAG),
                  segment.last())
              .dataSequence(segment.dataSn(), segment.offset());
      if (segment.last()) {
        header.residual(residual);
      }
      written = sender.send(header, segment.offset(), segment.length());
    }
    return written;
  }

  private Future<Void> sent(Future<Void> written) {
    sent.run();
    return written;
  }
}
