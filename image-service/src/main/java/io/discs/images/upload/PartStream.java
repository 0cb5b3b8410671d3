package io.discs.images.upload;

import io.discs.transfer.tap.LentBuffer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A body's bytes gathered into parts of a fixed size for a bucket: one copy on the event loop, into
 * the part (from the pooled chunk when it is lent), then each part hashed on a worker, in order,
 * and handed to its {@link Sender}. At most {@code mostQueued} parts wait to be hashed or sent
 * before the writer must pause, so what a body holds stays bounded whatever its size. Counting and
 * the limit are the {@link UploadMeter}'s. All calls come from one Vert.x context (a pipe's).
 */
final class PartStream implements WriteStream<Buffer> {

  /** Where a hashed part goes; {@code index} counts this stream's parts from 0. */
  interface Sender {
    Future<Void> send(int index, byte[] bytes, int length);
  }

  private final WorkerExecutor io;
  private final UploadMeter meter;
  private final int partBytes;
  private final int mostQueued;
  private final Sender sender;
  private final List<Future<Void>> sends = new ArrayList<>();

  private byte[] part;
  private int filled;

  /** Where the part being filled starts to be new (bytes before it were carried, hashed before). */
  private int newFrom;

  private Future<Void> hashed = Future.succeededFuture();
  private int queued;
  private int submitted;
  private Throwable failure;
  private Handler<Void> drainHandler;
  private Future<Void> ended;

  /**
   * @param carried the first part's first {@code carriedLength} bytes, already counted in the
   *     digest (a resumable upload's partial last part, continued); null for none
   */
  PartStream(
      WorkerExecutor io,
      UploadMeter meter,
      int partBytes,
      int mostQueued,
      Sender sender,
      byte[] carried,
      int carriedLength) {
    this.io = io;
    this.meter = meter;
    this.partBytes = partBytes;
    this.mostQueued = mostQueued;
    this.sender = sender;
    this.part = new byte[partBytes];
    if (carried != null) {
      System.arraycopy(carried, 0, part, 0, carriedLength);
    }
    this.filled = carriedLength;
    this.newFrom = carriedLength;
  }

  @Override
  public Future<Void> write(Buffer data) {
    try {
      if (!meter.count(data)) {
        return Future.failedFuture(meter.tooLargeError());
      }
      if (failure != null) {
        return Future.failedFuture(failure);
      }
      ByteBuffer lent = data instanceof LentBuffer chunk ? chunk.bytes() : null;
      int length = data.length();
      for (int at = 0; at < length; ) {
        int take = Math.min(partBytes - filled, length - at);
        if (lent != null) {
          lent.get(lent.position() + at, part, filled, take);
        } else {
          data.getBytes(at, at + take, part, filled);
        }
        filled += take;
        at += take;
        if (filled == partBytes) {
          submit();
          part = new byte[partBytes];
        }
      }
    } finally {
      LentBuffer.giveBack(data);
    }
    return Future.succeededFuture();
  }

  /** Hashes the part's new bytes, then sends it, after every part before it. */
  private void submit() {
    byte[] bytes = part;
    int length = filled;
    int from = newFrom;
    int index = submitted++;
    filled = 0;
    newFrom = 0;
    queued++;
    hashed =
        hashed.compose(
            v ->
                io.executeBlocking(
                    () -> {
                      meter.hash(bytes, from, length - from);
                      return null;
                    },
                    true));
    sends.add(
        hashed
            .compose(v -> sender.send(index, bytes, length))
            .onFailure(cause -> failure = failure == null ? cause : failure)
            .andThen(
                done -> {
                  queued--;
                  Handler<Void> drain = drainHandler;
                  if (drain != null && !writeQueueFull()) {
                    drainHandler = null;
                    drain.handle(null);
                  }
                }));
  }

  /** Sends what the last part holds, if it holds new bytes; completes once every part is sent. */
  @Override
  public Future<Void> end() {
    if (ended == null) {
      if (filled > newFrom) {
        submit();
        part = null;
      }
      ended =
          Future.join(sends)
              .transform(
                  all ->
                      failure == null
                          ? Future.<Void>succeededFuture()
                          : Future.failedFuture(failure));
    }
    return ended;
  }

  /** Stops taking bytes; completes once nothing is being hashed or sent any more. */
  Future<Void> stop() {
    if (failure == null) {
      failure = new IllegalStateException("the upload was abandoned");
    }
    return Future.join(sends).transform(all -> Future.succeededFuture());
  }

  /** How many parts this stream sent (or is sending). */
  int parts() {
    return submitted;
  }

  UploadMeter meter() {
    return meter;
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    // After a failure the pipe's next write is what tells it why.
    return failure == null && queued >= mostQueued;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }
}
