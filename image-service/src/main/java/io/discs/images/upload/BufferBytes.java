package io.discs.images.upload;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;

/**
 * Reads received buffers through a small array of its own, kept warm in the CPU's cache: Vert.x's
 * public {@link Buffer} API hands out bytes only as copies, and a copy into a fresh array per chunk
 * would be a GiB of garbage per GiB uploaded. The one cold read is the copy; whatever each piece is
 * then given to (the digest, the staging buffer) reads the warm array. Not thread-safe: one per
 * stage.
 */
final class BufferBytes {
  private static final int PIECE = 64 << 10;

  /** Takes one piece; {@code bytes} is reused for the next one. */
  @FunctionalInterface
  interface PieceHandler {
    void piece(byte[] bytes, int length);
  }

  private final byte[] piece = new byte[PIECE];

  /** Hands all of {@code buffer} to {@code handler}, piece by piece, in order. */
  void read(Buffer buffer, PieceHandler handler) {
    int length = buffer.length();
    for (int at = 0; at < length; at += PIECE) {
      int take = Math.min(PIECE, length - at);
      buffer.getBytes(at, at + take, piece, 0);
      handler.piece(piece, take);
    }
  }

  /** Hands {@code bytes}' remaining bytes to {@code handler}, piece by piece, in order. */
  void read(ByteBuffer bytes, PieceHandler handler) {
    int end = bytes.limit();
    for (int at = bytes.position(); at < end; at += PIECE) {
      int take = Math.min(PIECE, end - at);
      bytes.get(at, piece, 0, take);
      handler.piece(piece, take);
    }
  }
}
