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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The write side of an upload, as a pipeline of two stages on workers: one copies a batch of the
 * received buffers into a pooled array and hashes it (SHA-256), the other writes the array to the
 * file. Each stage takes batches strictly in order, and the two overlap, so hashing one batch runs
 * beside writing the one before. The event loop only counts bytes against the limit, keeps the
 * first ones for inspection and hands over references to the received buffers (no copy there). When
 * every pooled array is taken, the sink reports itself full and the socket is paused.
 */
public final class UploadSink implements WriteStream<Buffer> {
  private static final int BATCH_BYTES = 1 << 20;

  /** Batches under way at once; with the buffers waiting for an array, bounds the memory held. */
  private static final int ARRAYS = 8;

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
  private final MessageDigest chunkSha256;
  private final byte[] prefix = new byte[DiscInspector.PREFIX_BYTES];
  private final ArrayDeque<byte[]> freeArrays = new ArrayDeque<>();
  private int arraysMade;
  private int prefixLength;
  private long size;
  private boolean tooLarge;
  private List<Buffer> batch = new ArrayList<>();
  private int batchBytes;
  private Future<Void> hashed = Future.succeededFuture();
  private Future<Void> written = Future.succeededFuture();
  private Handler<Void> drainHandler;
  private Future<Void> ended;
  private boolean closed;
  private long unflushed;
  private boolean flushing;

  private UploadSink(
      WorkerExecutor io,
      Path file,
      FileChannel channel,
      long maxBytes,
      MessageDigest sha256,
      MessageDigest chunkSha256) {
    this.io = io;
    this.file = file;
    this.channel = channel;
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
                FileChannel.open(
                    file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING),
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
        () -> {
          FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
          try {
            channel.truncate(offset);
            channel.position(offset);
          } catch (IOException e) {
            channel.close();
            throw e;
          }
          return new UploadSink(
              io, file, channel, maxBytes, sha256, checkChunk ? newSha256() : null);
        },
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
    if (batchBytes >= BATCH_BYTES && hasFreeArray()) {
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
        written.compose(
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
    return ended;
  }

  /** For failure paths: releases the file without caring about its contents. */
  public Future<Void> abandon() {
    batch = new ArrayList<>();
    batchBytes = 0;
    return written
        .transform(
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

  private boolean hasFreeArray() {
    return !freeArrays.isEmpty() || arraysMade < ARRAYS;
  }

  private void dispatch() {
    List<Buffer> buffers = batch;
    int bytes = batchBytes;
    batch = new ArrayList<>();
    batchBytes = 0;
    byte[] free = freeArrays.poll();
    if (free == null) {
      arraysMade++;
    }
    byte[] array =
        free != null && free.length >= bytes ? free : new byte[Math.max(bytes, BATCH_BYTES)];
    Future<Void> hashedHere =
        hashed.compose(
            v ->
                io.<Void>executeBlocking(
                    () -> {
                      int at = 0;
                      for (Buffer buffer : buffers) {
                        buffer.getBytes(array, at);
                        at += buffer.length();
                      }
                      sha256.update(array, 0, bytes);
                      if (chunkSha256 != null) {
                        chunkSha256.update(array, 0, bytes);
                      }
                      return null;
                    },
                    false));
    hashed = hashedHere;
    written =
        Future.all(written, hashedHere)
            .compose(
                v ->
                    io.<Void>executeBlocking(
                        () -> {
                          writeFully(ByteBuffer.wrap(array, 0, bytes));
                          return null;
                        },
                        false))
            .andThen(done -> released(array, bytes));
  }

  /** On the event loop, once a batch is on its way to the disk (or failed). */
  private void released(byte[] array, int bytes) {
    freeArrays.push(array);
    unflushed += bytes;
    startBackgroundFlush();
    if (batchBytes >= BATCH_BYTES) {
      dispatch();
    }
    Handler<Void> drain = drainHandler;
    if (drain != null && !writeQueueFull()) {
      drainHandler = null;
      drain.handle(null);
    }
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

  private void writeFully(ByteBuffer bytes) throws IOException {
    try {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
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

  /** Full when a whole batch waits and no array is free for it. */
  @Override
  public boolean writeQueueFull() {
    return batchBytes >= BATCH_BYTES && !hasFreeArray();
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
