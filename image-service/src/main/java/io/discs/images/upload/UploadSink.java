package io.discs.images.upload;

import io.discs.images.inspect.DiscInspector;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.images.LentBuffer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
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
 * The write side of an upload: staging on the event loop, then two stages on workers. The event
 * loop copies each received chunk into {@link DirectFileWriter}'s aligned buffers as it arrives,
 * while the socket's read has just left it in the CPU's cache, and gives the chunk back to the
 * network's pool at once; that pool's memory is then reused hot by the next read. Each full 2 MiB
 * buffer goes to the first stage, which feeds it to SHA-256 through a small warm array ({@link
 * BufferBytes}), then to the second, which writes it to the file with direct I/O. (Staging on the
 * hash thread instead left that thread, the critical path, 0.82 CPU-s per GiB, against openssl's
 * 0.75 s for the same file, with curl and the event loop beside it on two cores.) Each stage runs
 * one task at a time and takes, when it starts one, everything that waits for it: a stage that
 * keeps up gets small batches soon, one that falls behind gets large ones and is woken less often
 * (fixed 4 MiB batches measured 0.48-0.58 × openssl on two cores, where hand-overs and wake-ups
 * compete with the work). The socket is paused while {@link #MOST_STAGED_BUFFERS} full buffers (or
 * fewer, when many uploads share the process) are not written yet: what an upload holds stays
 * bounded whichever is slower, the hash or the disk. The event loop never allocates a staging
 * buffer: it reuses written ones or ones the process kept, and the first stage allocates when
 * neither is left (the socket waits meanwhile).
 */
public final class UploadSink implements WriteStream<Buffer> {
  /**
   * Full staging buffers (2 MiB each, direct memory) not written yet, at most: enough to ride out
   * the disk's slow moments (8 paused the socket often enough to cost 0.05-0.1 × openssl here).
   * With many uploads at once each gets its share of a process-wide budget, never fewer than {@link
   * #LEAST_STAGED_BUFFERS}.
   */
  private static final int MOST_STAGED_BUFFERS = 32;

  private static final int LEAST_STAGED_BUFFERS = 4;

  /**
   * Empty buffers the first stage makes sure wait for the event loop before each task; the socket
   * is paused when fewer than {@link DirectFileWriter#LEAST_SPARE} do.
   */
  private static final int SPARE_KEPT_BY_WORKERS = 2 * DirectFileWriter.LEAST_SPARE;

  /** The size of one write to the file. */
  private static final int STAGING_BYTES = 2 << 20;

  /** Below this much free space, a failed write is taken for a full store. */
  private static final long FULL_BELOW_BYTES = 4L << 20;

  private final WorkerExecutor io;
  private final Path file;
  private final DirectFileWriter writer;
  private final long maxBytes;
  private final MessageDigest sha256;
  private final MessageDigest chunkSha256;
  private final BufferBytes.PieceHandler hash;

  /** The event loop's, for chunks that are not lent (Vert.x's own heap copies). */
  private final BufferBytes received = new BufferBytes();

  private final BufferBytes.PieceHandler stage;

  /** The first stage's own: one task at a time. */
  private final BufferBytes staged = new BufferBytes();

  /** A whole upload's first bytes, for inspection; none for an append (its file is read). */
  private final byte[] prefix;

  private int prefixLength;
  private long size;
  private boolean tooLarge;

  // Event-loop state: what waits for each stage, and how many full buffers are not written yet.
  private List<DirectFileWriter.Staged> unhashed = new ArrayList<>();
  private boolean hashing;
  private List<DirectFileWriter.Staged> unwritten = new ArrayList<>();
  private boolean writing;
  private int unwrittenBuffers;

  /** Set once a stage failed or the upload was abandoned: no stage starts another task. */
  private boolean stopped;

  private Throwable failure;
  private Promise<Void> whenIdle;
  private Handler<Void> drainHandler;
  private Future<Void> ended;
  private boolean closed;

  private UploadSink(
      WorkerExecutor io,
      Path file,
      DirectFileWriter writer,
      long maxBytes,
      MessageDigest sha256,
      MessageDigest chunkSha256,
      int prefixBytes) {
    this.io = io;
    this.prefix = new byte[prefixBytes];
    this.file = file;
    this.writer = writer;
    this.maxBytes = maxBytes;
    this.sha256 = sha256;
    this.chunkSha256 = chunkSha256;
    this.hash =
        chunkSha256 == null
            ? (piece, length) -> sha256.update(piece, 0, length)
            : (piece, length) -> {
              sha256.update(piece, 0, length);
              chunkSha256.update(piece, 0, length);
            };
    this.stage = (piece, length) -> writer.stage(piece, 0, length);
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
                null,
                DiscInspector.PREFIX_BYTES),
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
                checkChunk ? newSha256() : null,
                0),
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
    try {
      if (tooLarge) {
        return Future.failedFuture(tooLargeError());
      }
      if (failure != null || stopped) {
        return Future.failedFuture(
            failure != null ? failure : new IllegalStateException("the upload was abandoned"));
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
      if (data instanceof LentBuffer lent) {
        writer.stage(lent.bytes());
      } else {
        received.read(data, stage);
      }
    } finally {
      LentBuffer.giveBack(data);
    }
    writer.keepSpareFromKept(DirectFileWriter.LEAST_SPARE);
    List<DirectFileWriter.Staged> full = writer.takeStaged();
    unhashed.addAll(full);
    unwrittenBuffers += full.size();
    hashNext();
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
        idle()
            .compose(
                v ->
                    failure != null
                        ? Future.<Void>failedFuture(failure)
                        : io.<Void>executeBlocking(
                            () -> {
                              closed = true;
                              staged.read(writer.partial(), hash);
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
  public Future<Void> abandon() {
    stop();
    return idle()
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

  /** Starts the first stage on every full buffer waiting for it, unless it is busy. */
  private void hashNext() {
    if (hashing || stopped || unhashed.isEmpty()) {
      return;
    }
    List<DirectFileWriter.Staged> batch = unhashed;
    unhashed = new ArrayList<>();
    hashing = true;
    io.<Void>executeBlocking(
            () -> {
              // Room for the staging role, allocated here: never on the event loop.
              writer.keepSpare(SPARE_KEPT_BY_WORKERS);
              for (DirectFileWriter.Staged buffer : batch) {
                staged.read(buffer.received(), hash);
              }
              return null;
            },
            false)
        .onComplete(
            hashed -> {
              hashing = false;
              if (hashed.succeeded()) {
                unwritten.addAll(batch);
              } else {
                fail(hashed.cause());
              }
              writeNext();
              hashNext();
              progressed();
            });
  }

  /** Starts the second stage on every staged buffer waiting for it, unless it is busy. */
  private void writeNext() {
    if (writing || stopped || unwritten.isEmpty()) {
      return;
    }
    List<DirectFileWriter.Staged> batch = unwritten;
    unwritten = new ArrayList<>();
    writing = true;
    io.<Void>executeBlocking(
            () -> {
              try {
                writer.write(batch);
              } catch (IOException e) {
                throw typed(e);
              }
              return null;
            },
            false)
        .onComplete(
            written -> {
              writing = false;
              unwrittenBuffers -= batch.size();
              if (written.failed()) {
                fail(written.cause());
              }
              writeNext();
              progressed();
            });
  }

  private void fail(Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
    stop();
  }

  /** No stage starts another task, and what waited for one is dropped. */
  private void stop() {
    stopped = true;
    unhashed = new ArrayList<>();
    unwritten = new ArrayList<>();
  }

  /**
   * On the event loop, after a stage's task: resumes a paused socket, completes {@link #idle()}.
   */
  private void progressed() {
    Handler<Void> drain = drainHandler;
    // After a failure too: the pipe's next write learns of it.
    if (drain != null && !writeQueueFull()) {
      drainHandler = null;
      drain.handle(null);
    }
    if (whenIdle != null && !hashing && !writing) {
      Promise<Void> idle = whenIdle;
      whenIdle = null;
      idle.complete();
    }
  }

  /** When no stage is running a task and none will start one (everything received is written). */
  private Future<Void> idle() {
    hashNext();
    writeNext();
    if (!hashing && !writing) {
      return Future.succeededFuture();
    }
    if (whenIdle == null) {
      whenIdle = Promise.promise();
    }
    return whenIdle.future();
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
    return !stopped
        && (unwrittenBuffers >= writer.unwrittenShare(LEAST_STAGED_BUFFERS, MOST_STAGED_BUFFERS)
            || writer.spare() < DirectFileWriter.LEAST_SPARE);
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
