package io.discs.images.upload;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * Reads a received buffer's bytes where they lie. The chunks of a request body are heap arrays
 * (Vert.x copies each one out of Netty's pooled memory), and the public {@link Buffer} API would
 * copy them once more before they reach the digest or the file: a GiB of copies per GiB uploaded.
 * Vert.x's internal buffer interface exposes the array; a buffer without one is copied as before.
 */
final class BufferBytes {
  private BufferBytes() {}

  static void update(MessageDigest digest, Buffer buffer) {
    ByteBuf bytes = array(buffer);
    if (bytes != null) {
      digest.update(
          bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
    } else {
      digest.update(buffer.getBytes());
    }
  }

  /** Copies {@code length} bytes from {@code at} in {@code buffer} into {@code target}. */
  static void copy(Buffer buffer, int at, int length, ByteBuffer target) {
    ByteBuf bytes = array(buffer);
    if (bytes != null) {
      target.put(bytes.array(), bytes.arrayOffset() + bytes.readerIndex() + at, length);
    } else {
      target.put(buffer.getBytes(at, at + length));
    }
  }

  private static ByteBuf array(Buffer buffer) {
    if (buffer instanceof BufferInternal internal) {
      ByteBuf bytes = internal.getByteBuf();
      if (bytes.hasArray()) {
        return bytes;
      }
    }
    return null;
  }
}
