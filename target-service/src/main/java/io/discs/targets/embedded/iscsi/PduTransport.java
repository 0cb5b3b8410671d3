package io.discs.targets.embedded.iscsi;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * The one owner of an iSCSI connection's socket: PDUs in (through the {@link PduFramer}), PDUs out
 * (data length, digests when negotiated, padding), flow control, and closing. It reports the
 * socket's end and errors to whoever it was built for. Vert.x keeps one handler of each kind per
 * socket, so a second owner would silently replace these (connections were once never detached).
 */
final class PduTransport {
  private final NetSocket socket;
  private final PduFramer framer;
  private boolean headerDigest;
  private boolean dataDigest;
  private boolean paused;

  PduTransport(
      NetSocket socket, PduFramer framer, Handler<Void> closed, Handler<Throwable> failed) {
    this.socket = socket;
    this.framer = framer;
    socket.handler(framer);
    socket.closeHandler(closed);
    socket.exceptionHandler(failed);
  }

  /** From full feature phase on: CRC32C digests as negotiated, and larger PDUs accepted. */
  void enterFullFeaturePhase(boolean headerDigest, boolean dataDigest, int maxRecv) {
    this.headerDigest = headerDigest;
    this.dataDigest = dataDigest;
    framer.useDigests(headerDigest, dataDigest);
    framer.limit(maxRecv);
  }

  /** A login response: no digests before full feature phase. */
  Future<Void> sendLogin(ResponseHeader header, Buffer data) {
    return socket.write(Pdu.encode(header.buffer(), data));
  }

  /**
   * Header and data go out as separate buffers (the data a slice of what was read, never copied);
   * the answer completes when the last of them is written.
   */
  Future<Void> send(ResponseHeader response, Buffer data) {
    Buffer header = response.buffer();
    int length = data == null ? 0 : data.length();
    Pdu.setDataLength(header, length);
    Future<Void> written = socket.write(header);
    if (headerDigest) {
      written = socket.write(Digests.of(header));
    }
    if (length > 0) {
      int pad = (4 - length % 4) % 4;
      Buffer padding = pad > 0 ? Buffer.buffer(new byte[pad]) : null;
      written = socket.write(data);
      if (padding != null) {
        written = socket.write(padding);
      }
      if (dataDigest) {
        // The data digest covers the padding too.
        written =
            socket.write(
                Digests.of(
                    padding == null
                        ? data
                        : Buffer.buffer().appendBuffer(data).appendBuffer(padding)));
      }
    }
    return written;
  }

  /** Whether the initiator is behind on reading what was sent. */
  boolean backedUp() {
    return socket.writeQueueFull();
  }

  /** Stops or resumes reading from the initiator; {@code drained} runs when it catches up. */
  void hold(boolean hold, Handler<Void> drained) {
    if (hold && !paused) {
      paused = true;
      socket.pause();
      socket.drainHandler(drained);
    } else if (!hold && paused) {
      paused = false;
      socket.resume();
    }
  }

  /** No more PDUs are read; what was written is flushed, then the socket closes. */
  Future<Void> end() {
    framer.fail();
    return socket.end();
  }

  /** No more PDUs are read; the socket closes now. */
  void close() {
    framer.fail();
    socket.close();
  }

  String remoteAddress() {
    return socket.remoteAddress() == null ? null : socket.remoteAddress().hostAddress();
  }
}
