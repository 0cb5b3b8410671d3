package io.discs.targets.embedded.iscsi;

import io.discs.targets.embedded.backing.FileRange;
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
  private boolean ended;

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
    if (ended) {
      return Future.succeededFuture();
    }
    return socket.write(Pdu.encode(header.buffer(), data));
  }

  /**
   * Header and data go out as separate buffers (the data a slice of what was read, never copied);
   * the answer completes when the last of them is written.
   */
  Future<Void> send(ResponseHeader response, Buffer data) {
    if (ended) {
      return Future.succeededFuture(); // nothing more goes out once the connection is ending
    }
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

  /**
   * A PDU whose data is a range of a file, sent by the kernel from the page cache (sendfile): no
   * copy of it passes through this process. Only without a data digest, which would need the bytes.
   * The file is opened for the send and closed after it, as Vert.x does for every sendFile; the
   * caller has checked that the range is resident, so the send does not wait for a disk. If the
   * file cannot be sent after its header went out, the PDU stream is broken: the connection ends.
   */
  Future<Void> sendFromFile(ResponseHeader response, FileRange range) {
    if (dataDigest) {
      throw new IllegalStateException("a data digest needs the bytes");
    }
    if (ended) {
      return Future.succeededFuture();
    }
    Buffer header = response.buffer();
    Pdu.setDataLength(header, range.length());
    socket.write(header);
    if (headerDigest) {
      socket.write(Digests.of(header));
    }
    Future<Void> written = socket.sendFile(range.path(), range.offset(), range.length());
    int pad = (4 - range.length() % 4) % 4;
    if (pad > 0) {
      written = socket.write(Buffer.buffer(new byte[pad]));
    }
    return written.onFailure(e -> close());
  }

  boolean dataDigest() {
    return dataDigest;
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
    ended = true;
    framer.fail();
    return socket.end();
  }

  /** No more PDUs are read; the socket closes now. */
  void close() {
    ended = true;
    framer.fail();
    socket.close();
  }

  String remoteAddress() {
    return socket.remoteAddress() == null ? null : socket.remoteAddress().hostAddress();
  }
}
