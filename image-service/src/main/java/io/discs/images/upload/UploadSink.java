package io.discs.images.upload;

import io.discs.images.inspect.DiscInspector;
import io.discs.platform.error.DomainErrors;
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
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The write side of an upload, as two stages on workers. The first reads each received buffer once,
 * piece by piece through a small array of its own ({@link BufferBytes}), feeds the piece to SHA-256
 * and stages it into {@link DirectFileWriter}'s aligned buffers while it is still in the CPU's
 * cache; the received buffers are free after that. The second writes the staged buffers to the file
 * with direct I/O. Each stage takes batches strictly in order, and the two run side by side. The
 * event loop only counts bytes against the limit, keeps the first ones for inspection and hands
 * over references to the received buffers (no copy there). When {@link #BATCHES} batches are under
 * way, the sink reports itself full and the socket is paused.
 */
public final class UploadSink implements WriteStream<Buffer> {
  private static final int BATCH_BYTES = 4 << 20;

  /** The size of one write to the file. */
  private static final int STAGING_BYTES = 1 << 20;

  /** Batches under way at once; with the one being gathered, bounds the memory an upload holds. */
  private static final int BATCHES = 4;

  /** Below this much free space, a failed write is taken for a full store. */
  private static final long FULL_BELOW_BYTES = 4L << 20;

  private final WorkerExecutor io;
  private final Path file;
  private final DirectFileWriter writer;
  private final long maxBytes;
  private final MessageDigest sha256;
  private final MessageDigest chunkSha256;

  /** The first stage's own: batches are hashed one after the other, never two at once. */
  private final BufferBytes received = new BufferBytes();

  private final byte[] prefix = new byte[DiscInspector.PREFIX_BYTES];
  private int prefixLength;
  private long size;
  private boolean tooLarge;
  private List<Buffer> batch = new ArrayList<>();
  private int batchBytes;
  private int underWay;
  private Future<Void> hashed = Future.succeededFuture();
  private Future<Void> written = Future.succeededFuture();
  private Handler<Void> drainHandler;
  private Future<Void> ended;
  private boolean closed;

  private UploadSink(
      WorkerExecutor io,
      Path file,
      DirectFileWriter writer,
      long maxBytes,
      MessageDigest sha256,
      MessageDigest chunkSha256) {
    this.io = io;
    this.file = file;
    this.writer = writer;
    this.maxBytes = maxBytes;
    this.sha256 = sha256;
    this.chunkSha256 = chunkSha256;
  }

  /** Opens the (already created) temporary file of a whole upload on a worker. */
  public static Future<UploadSink> open(WorkerExecutor io, Path file, long maxBytes) {
    return io.executeBlocking(
        () ->
            new UploadSink(
                io,
                file,
                DirectFileWriter.open(file, 0, STAGING_BYTES),
                maxBytes,
                newSha256(),
                null),
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
                DirectFileWriter.open(file, offset, STAGING_BYTES),
                maxBytes,
                sha256,
                checkChunk ? newSha256() : null),
        false);
  }

  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (tooLarge) {
      return Future.failedFuture(tooLargeError());
    }
    size += data.length();
    if (size > maxBytes) {
      tooLarge = true;
      return Future.failedFuture(tooLargeError());
    }
    if (prefixLength < prefix.length) {
      int take = Math.min(prefix.length - prefixLength, data.length());
      data.getBytes(0, take, prefix, prefixLength);
      prefixLength += take;
    }
    // The received buffer is this request's own copy (Vert.x copies out of Netty's pooled memory),
    // so a reference to it may cross to a worker.
    batch.add(data);
    batchBytes += data.length();
    if (batchBytes >= BATCH_BYTES && underWay < BATCHES) {
      dispatch();
    }
    return written;
  }

  /**
   * Writes what is left, then makes it durable before anyone may rename the file into the store.
   */
  @Override
  public Future<Void> end() {
    // A pipe ends its destination itself; whoever ends it again gets the same outcome.
    if (ended != null) {
      return ended;
    }
    if (!batch.isEmpty()) {
      dispatch();
    }
    ended =
        Future.all(hashed, written)
            .compose(
                v ->
                    io.<Void>executeBlocking(
                        () -> {
                          closed = true;
                          try {
                            writer.finish();
                          } catch (IOException e) {
                            writer.close();
                            throw typed(e);
                          }
                          return null;
                        },
                        false))
            .recover(failure -> abandon().transform(v -> Future.failedFuture(failure)));
    return ended;
  }

  /** For failure paths: releases the file without caring about its contents. */
  public Future<Void> abandon() {
    batch = new ArrayList<>();
    batchBytes = 0;
    return Future.join(hashed, written)
        .transform(
            ignored ->
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

  private void dispatch() {
    MessageDigest[] digests =
        chunkSha256 == null
            ? new MessageDigest[] {sha256}
            : new MessageDigest[] {sha256, chunkSha256};
    BufferBytes.PieceHandler hashAndStage =
        (piece, length) -> {
          for (MessageDigest digest : digests) {
            digest.update(piece, 0, length);
          }
          writer.stage(piece, 0, length);
        };
    List<Buffer> buffers = batch;
    batch = new ArrayList<>();
    batchBytes = 0;
    underWay++;
    Future<List<DirectFileWriter.Staged>> stagedHere =
        hashed.compose(
            v ->
                io.executeBlocking(
                    () -> {
                      for (Buffer buffer : buffers) {
                        received.read(buffer, hashAndStage);
                      }
                      return writer.takeStaged();
                    },
                    false));
    Future<Void> writtenHere =
        written
            .compose(v -> stagedHere)
            .compose(
                staged ->
                    io.<Void>executeBlocking(
                        () -> {
                          try {
                            writer.write(staged);
                          } catch (IOException e) {
                            throw typed(e);
                          }
                          return null;
                        },
                        false));
    hashed = stagedHere.mapEmpty();
    written = writtenHere;
    Future.join(stagedHere, writtenHere).onComplete(done -> released());
  }

  /** On the event loop, once a batch is hashed and written (or failed). */
  private void released() {
    underWay--;
    if (batchBytes >= BATCH_BYTES && ended == null) {
      dispatch();
    }
    Handler<Void> drain = drainHandler;
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

  /** Full when a whole batch waits and {@link #BATCHES} are under way. */
  @Override
  public boolean writeQueueFull() {
    return batchBytes >= BATCH_BYTES && underWay >= BATCHES;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    this.drainHandler = handler;
    return this;
  }

  public long size() {
    return size;
  }

  public byte[] prefix() {
    return Arrays.copyOf(prefix, prefixLength);
  }

  public boolean exceededLimit() {
    return tooLarge;
  }

  /** Only once, after {@link #end()} completed: every batch has been hashed by then. */
  public String sha256Hex() {
    return HexFormat.of().formatHex(sha256.digest());
  }

  /** The running digest this sink feeds (all batches are in it once {@link #end()} completed). */
  public MessageDigest digest() {
    return sha256;
  }

  /** This chunk's own SHA-256 (sinks made to check their chunk), after {@link #end()}. */
  public byte[] chunkSha256() {
    return chunkSha256.digest();
  }

  public ServiceException tooLargeError() {
    return DomainErrors.tooLarge("the image is larger than the limit of " + maxBytes + " bytes");
  }
}
