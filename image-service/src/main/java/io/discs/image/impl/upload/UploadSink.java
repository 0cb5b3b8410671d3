package io.discs.image.impl.upload;

import io.discs.image.impl.inspect.DiscInspector;
import io.discs.platform.error.DomainErrors;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.streams.WriteStream;
import io.vertx.serviceproxy.ServiceException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The write side of an upload: every buffer is hashed, its first bytes kept for inspection, its
 * size counted against the limit, and then written to the temporary file. Backpressure is the
 * file's: the socket is paused while the disk is behind.
 */
public final class UploadSink implements WriteStream<Buffer> {
  private final AsyncFile file;
  private final long maxBytes;
  private final MessageDigest sha256;
  private final byte[] prefix = new byte[DiscInspector.PREFIX_BYTES];
  private int prefixLength;
  private long size;
  private boolean tooLarge;

  public UploadSink(AsyncFile file, long maxBytes) {
    this.file = file;
    this.maxBytes = maxBytes;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
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
    ByteBuffer bytes = ((BufferInternal) data).getByteBuf().nioBuffer();
    if (prefixLength < prefix.length) {
      int take = Math.min(prefix.length - prefixLength, bytes.remaining());
      bytes.duplicate().get(prefix, prefixLength, take);
      prefixLength += take;
    }
    sha256.update(bytes);
    return file.write(data);
  }

  /** Makes the bytes durable before anyone may rename the file into the store. */
  @Override
  public Future<Void> end() {
    return file.flush().compose(v -> file.close());
  }

  /** For failure paths: releases the file without caring about its contents. */
  public Future<Void> abandon() {
    try {
      return file.close().recover(ignored -> Future.succeededFuture());
    } catch (IllegalStateException alreadyClosed) {
      // The pipe may have ended the file already; either way it is released.
      return Future.succeededFuture();
    }
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    file.exceptionHandler(handler);
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    file.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return file.writeQueueFull();
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    file.drainHandler(handler);
    return this;
  }

  public long size() {
    return size;
  }

  public byte[] prefix() {
    return java.util.Arrays.copyOf(prefix, prefixLength);
  }

  /** Only once, after the stream ended. */
  public String sha256Hex() {
    return HexFormat.of().formatHex(sha256.digest());
  }

  public boolean exceededLimit() {
    return tooLarge;
  }

  public ServiceException tooLargeError() {
    return DomainErrors.tooLarge("the image is larger than the limit of " + maxBytes + " bytes");
  }
}
