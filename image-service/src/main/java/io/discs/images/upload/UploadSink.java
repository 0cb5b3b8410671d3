package io.discs.images.upload;

import io.discs.images.inspect.DiscInspector;
import io.discs.transfer.tap.LentBuffer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.serviceproxy.ServiceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * The write side of an upload, as a {@link WriteStream} a pipe fills. On the event loop each chunk
 * is measured ({@link UploadMeter}) and copied into {@link DirectFileWriter}'s aligned staging
 * buffers while the socket's read has just left it in the CPU's cache, then given back to the
 * network's pool; each full buffer then goes through the hash and write stages on workers ({@link
 * UploadStages}). The socket is paused while too many full buffers are not written yet (or too few
 * empty ones wait), so what an upload holds stays bounded whichever is slower, the hash or the
 * disk. Why it is laid out this way, with the measurements, is in {@code perf/UPLOAD-PATH.md}.
 */
public final class UploadSink implements ChunkSink {
  /**
   * Full staging buffers (2 MiB each, direct memory) not written yet, at most; with many uploads at
   * once each gets its share of {@link StagingBuffers}' budget, never fewer than {@link
   * #LEAST_STAGED_BUFFERS}.
   */
  private static final int MOST_STAGED_BUFFERS = 32;

  private static final int LEAST_STAGED_BUFFERS = 4;

  /** The size of one write to the file. */
  private static final int STAGING_BYTES = 2 << 20;

  /** Below this much free space, a failed write is taken for a full store. */
  private static final long FULL_BELOW_BYTES = 4L << 20;

  private final WorkerExecutor io;
  private final Path file;
  private final DirectFileWriter writer;
  private final UploadMeter meter;
  private final UploadStages stages;

  /** The event loop's, for chunks that are not lent (Vert.x's own heap copies). */
  private final BufferBytes received = new BufferBytes();

  private final BufferBytes.PieceHandler stage;

  /** The hash stage's, for the last partial buffer at the end. */
  private final BufferBytes last = new BufferBytes();

  /** Set when a chunk could not be read: the upload cannot be whole any more. */
  private IllegalStateException broken;

  private Handler<Void> drainHandler;
  private Future<Void> ended;
  private boolean closed;

  private UploadSink(WorkerExecutor io, Path file, DirectFileWriter writer, UploadMeter meter) {
    this.io = io;
    this.file = file;
    this.writer = writer;
    this.meter = meter;
    this.stages = new UploadStages(io, writer, meter.hash(), this::typed);
    this.stage = (piece, length) -> writer.stage(piece, 0, length);
    stages.onProgress(this::drainIfRoom);
  }

  /** Opens the (already created) temporary file of a whole upload on a worker. */
  public static Future<UploadSink> open(
      WorkerExecutor io, StagingBuffers staging, Path file, long maxBytes) {
    return io.executeBlocking(
        () ->
            new UploadSink(
                io,
                file,
                DirectFileWriter.open(file, 0, STAGING_BYTES, staging),
                new UploadMeter(
                    maxBytes, UploadMeter.newSha256(), null, DiscInspector.PREFIX_BYTES)),
        false);
  }

  /**
   * Opens a resumable upload's file to append at {@code offset}, on a worker. Bytes past the offset
   * (written before a crash, never recorded) are cut off first. {@code sha256} is the upload's
   * running digest, fed with what this sink writes; with {@code checkChunk}, this chunk alone is
   * hashed as well.
   */
  public static Future<UploadSink> append(
      WorkerExecutor io,
      StagingBuffers staging,
      Path file,
      long offset,
      MessageDigest sha256,
      boolean checkChunk,
      long maxBytes) {
    return io.executeBlocking(
        () ->
            new UploadSink(
                io,
                file,
                DirectFileWriter.open(file, offset, STAGING_BYTES, staging),
                new UploadMeter(maxBytes, sha256, checkChunk ? UploadMeter.newSha256() : null, 0)),
        false);
  }

  @Override
  public Future<Void> write(Buffer data) {
    try {
      if (broken != null) {
        return Future.failedFuture(broken);
      }
      if (!meter.count(data)) {
        return Future.failedFuture(meter.tooLargeError());
      }
      if (stages.failure() != null || stages.stopped()) {
        return Future.failedFuture(
            stages.failure() != null
                ? stages.failure()
                : new IllegalStateException("the upload was abandoned"));
      }
      if (data instanceof LentBuffer lent) {
        writer.stage(lent.bytes());
      } else {
        received.read(data, stage);
      }
    } catch (RuntimeException unreadable) {
      // Thrown into the source's handler, it would be swallowed and the chunk lost while its
      // bytes were counted: the upload fails instead (a lent chunk the pool took back early).
      broken =
          unreadable instanceof IllegalStateException ours
              ? ours
              : new IllegalStateException("an upload chunk could not be read", unreadable);
      return Future.failedFuture(broken);
    } finally {
      LentBuffer.giveBack(data);
    }
    writer.keepSpareFromKept(DirectFileWriter.LEAST_SPARE);
    stages.submit(writer.takeStaged());
    // A stage's failure reaches the pipe through the next write, or through end().
    return Future.succeededFuture();
  }

  /**
   * Once everything received is hashed and written, makes the file durable before anyone may rename
   * it into the store.
   */
  @Override
  public Future<Void> end() {
    // A pipe ends its destination itself; whoever ends it again gets the same outcome.
    if (ended != null) {
      return ended;
    }
    ended =
        stages
            .idle()
            .compose(
                v ->
                    broken != null
                        ? Future.<Void>failedFuture(broken)
                        : stages.failure() != null
                            ? Future.<Void>failedFuture(stages.failure())
                            : stages.unwrittenBuffers() != 0
                                ? Future.<Void>failedFuture(
                                    stages.neverWritten(file.getFileName().toString()))
                                : io.<Void>executeBlocking(
                                    () -> {
                                      closed = true;
                                      last.read(writer.partial(), meter.hash());
                                      try {
                                        writer.finish();
                                      } catch (IOException e) {
                                        writer.close();
                                        throw typed(e);
                                      }
                                      return null;
                                    },
                                    false))
            .recover(cause -> abandon().transform(v -> Future.failedFuture(cause)));
    return ended;
  }

  /** For failure paths: releases the file without caring about its contents. */
  @Override
  public Future<Void> abandon() {
    stages.stop();
    return stages
        .idle()
        .compose(
            v ->
                io.<Void>executeBlocking(
                    () -> {
                      if (!closed) {
                        closed = true;
                        writer.close();
                      }
                      return null;
                    },
                    false))
        .recover(ignored -> Future.succeededFuture());
  }

  private void drainIfRoom() {
    Handler<Void> drain = drainHandler;
    // After a failure too: the pipe's next write learns of it.
    if (drain != null && !writeQueueFull()) {
      drainHandler = null;
      drain.handle(null);
    }
  }

  /** On a worker: a failed write on a file system with no room left is a full store. */
  private IOException typed(IOException failure) {
    try {
      return Files.getFileStore(file).getUsableSpace() < FULL_BELOW_BYTES
          ? new StoreFullException(failure)
          : failure;
    } catch (IOException unknown) {
      return failure;
    }
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
    // Once stopped, the pipe's next write is what tells it why.
    return !stages.stopped()
        && (stages.unwrittenBuffers()
                >= writer.unwrittenShare(LEAST_STAGED_BUFFERS, MOST_STAGED_BUFFERS)
            || writer.spare() < DirectFileWriter.LEAST_SPARE);
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }

  @Override
  public long size() {
    return meter.size();
  }

  public byte[] prefix() {
    return meter.prefix();
  }

  @Override
  public boolean exceededLimit() {
    return meter.exceededLimit();
  }

  /** Only once, after {@link #end()} completed: every batch has been hashed by then. */
  public String sha256Hex() {
    return meter.sha256Hex();
  }

  /** The running digest this sink feeds (all batches are in it once {@link #end()} completed). */
  @Override
  public MessageDigest digest() {
    return meter.digest();
  }

  /** This chunk's own SHA-256 (sinks made to check their chunk), after {@link #end()}. */
  @Override
  public byte[] chunkSha256() {
    return meter.chunkSha256();
  }

  /** A file holds the bytes: there are no pieces to record. */
  @Override
  public String pieces() {
    return null;
  }

  public ServiceException tooLargeError() {
    return meter.tooLargeError();
  }

  public static MessageDigest newSha256() {
    return UploadMeter.newSha256();
  }
}
