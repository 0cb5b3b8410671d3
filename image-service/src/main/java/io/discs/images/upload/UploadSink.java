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
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The write side of an upload. The event loop only counts bytes against the limit, keeps the first
 * ones for inspection and gathers buffers into batches; a worker hashes each batch (SHA-256) and
 * writes it with one gathering write, batches of one upload strictly in order. While too much is
 * waiting for the disk, the sink reports itself full and the socket is paused.
 */
public final class UploadSink implements WriteStream<Buffer> {
  private static final int BATCH_BYTES = 1 << 20;
  private static final long HIGH_WATER = 8L << 20;
  private static final long LOW_WATER = 2L << 20;

  /**
   * How much may be written before a background flush starts, so the final fsync finds little left.
   */
  private static final long FLUSH_EVERY = 64L << 20;

  /** Below this much free space, a failed write is taken for a full store. */
  private static final long FULL_BELOW_BYTES = 4L << 20;

  private final WorkerExecutor io;
  private final Path file;
  private final FileChannel channel;
  private final long maxBytes;
  private final MessageDigest sha256;
  private final byte[] prefix = new byte[DiscInspector.PREFIX_BYTES];
  private int prefixLength;
  private long size;
  private boolean tooLarge;
  private List<ByteBuffer> batch = new ArrayList<>();
  private long batchBytes;
  private long inFlight;
  private Future<Void> tail = Future.succeededFuture();
  private Handler<Void> drainHandler;
  private boolean closed;
  private long unflushed;
  private boolean flushing;

  private UploadSink(WorkerExecutor io, Path file, FileChannel channel, long maxBytes) {
    this.io = io;
    this.file = file;
    this.channel = channel;
    this.maxBytes = maxBytes;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Opens the (already created) temporary file on a worker. */
  public static Future<UploadSink> open(WorkerExecutor io, Path file, long maxBytes) {
    return io.executeBlocking(
        () ->
            new UploadSink(
                io,
                file,
                FileChannel.open(
                    file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING),
                maxBytes),
        false);
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
    // A copy, not a view of Netty's buffer: the view needs Vert.x's internal API, and a memory copy
    // costs a small fraction of hashing the same bytes.
    ByteBuffer bytes = ByteBuffer.wrap(data.getBytes());
    if (prefixLength < prefix.length) {
      int take = Math.min(prefix.length - prefixLength, bytes.remaining());
      bytes.duplicate().get(prefix, prefixLength, take);
      prefixLength += take;
    }
    batch.add(bytes);
    batchBytes += bytes.remaining();
    return batchBytes >= BATCH_BYTES ? flushBatch() : Future.succeededFuture();
  }

  /**
   * Writes what is left, then makes it durable before anyone may rename the file into the store.
   */
  @Override
  public Future<Void> end() {
    flushBatch();
    return tail.compose(
        v ->
            io.<Void>executeBlocking(
                () -> {
                  try {
                    channel.force(true);
                  } catch (IOException e) {
                    throw typed(e);
                  }
                  channel.close();
                  closed = true;
                  return null;
                },
                false));
  }

  /** For failure paths: releases the file without caring about its contents. */
  public Future<Void> abandon() {
    batch = new ArrayList<>();
    return tail.transform(
            ignored ->
                io.<Void>executeBlocking(
                    () -> {
                      if (!closed) {
                        closed = true;
                        channel.close();
                      }
                      return null;
                    },
                    false))
        .recover(ignored -> Future.succeededFuture());
  }

  private Future<Void> flushBatch() {
    if (batch.isEmpty()) {
      return tail;
    }
    ByteBuffer[] buffers = batch.toArray(ByteBuffer[]::new);
    long bytes = batchBytes;
    batch = new ArrayList<>();
    batchBytes = 0;
    inFlight += bytes;
    tail =
        tail.compose(
                v ->
                    io.<Void>executeBlocking(
                        () -> {
                          for (ByteBuffer buffer : buffers) {
                            sha256.update(buffer.duplicate());
                          }
                          writeFully(buffers);
                          return null;
                        },
                        false))
            .andThen(
                done -> {
                  inFlight -= bytes;
                  unflushed += bytes;
                  startBackgroundFlush();
                  Handler<Void> drain = drainHandler;
                  if (drain != null && inFlight <= LOW_WATER) {
                    drainHandler = null;
                    drain.handle(null);
                  }
                });
    return tail;
  }

  /**
   * Writeback runs beside the writes (FileChannel allows force concurrently with writes), instead
   * of all of it waiting for the final fsync.
   */
  private void startBackgroundFlush() {
    if (flushing || closed || unflushed < FLUSH_EVERY) {
      return;
    }
    flushing = true;
    unflushed = 0;
    io.<Void>executeBlocking(
            () -> {
              if (channel.isOpen()) {
                channel.force(false);
              }
              return null;
            },
            false)
        .onComplete(done -> flushing = false);
  }

  private void writeFully(ByteBuffer[] buffers) throws IOException {
    long remaining = Arrays.stream(buffers).mapToLong(ByteBuffer::remaining).sum();
    try {
      while (remaining > 0) {
        remaining -= channel.write(buffers);
      }
    } catch (IOException e) {
      throw typed(e);
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
    return inFlight >= HIGH_WATER;
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

  public ServiceException tooLargeError() {
    return DomainErrors.tooLarge("the image is larger than the limit of " + maxBytes + " bytes");
  }
}
