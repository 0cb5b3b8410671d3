package io.discs.images.upload;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.security.MessageDigest;

/**
 * Reads received buffers through a small array of its own, kept warm in the CPU's cache: Vert.x's
 * public {@link Buffer} API hands out bytes only as copies, and a copy into a fresh array per chunk
 * would be a GiB of garbage per GiB uploaded. The one cold read is the copy; what follows it (the
 * digest, the copy into the staging buffer) reads the warm array. Not thread-safe: one per stage.
 */
final class BufferBytes {
  private static final int PIECE = 64 << 10;

  private final byte[] piece = new byte[PIECE];

  /** Feeds all of {@code buffer} to {@code digests}. */
  void update(Buffer buffer, MessageDigest... digests) {
    int length = buffer.length();
    for (int at = 0; at < length; at += PIECE) {
      int take = Math.min(PIECE, length - at);
      buffer.getBytes(at, at + take, piece, 0);
      for (MessageDigest digest : digests) {
        digest.update(piece, 0, take);
      }
    }
  }

  /** Copies {@code length} bytes from {@code at} in {@code buffer} into {@code target}. */
  void copy(Buffer buffer, int at, int length, ByteBuffer target) {
    for (int done = 0; done < length; ) {
      int take = Math.min(PIECE, length - done);
      buffer.getBytes(at + done, at + done + take, piece, 0);
      target.put(piece, 0, take);
      done += take;
    }
  }
}
