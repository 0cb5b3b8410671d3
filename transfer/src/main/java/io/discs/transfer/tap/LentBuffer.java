package io.discs.transfer.tap;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;

/**
 * Upload bytes still in the network's pooled memory, lent to the one consumer that stores them.
 * Vert.x copies every received chunk out of Netty's pool into a fresh heap array; the tap hands an
 * upload's chunks over without that copy instead, as {@link Buffer}s that are also this, and the
 * consumer gives each back once it has read it. Giving back is idempotent and counted ({@link
 * LentBytes}), so that a lost chunk shows rather than leaking the pool silently.
 */
public interface LentBuffer {

  /** A view of the lent bytes, for copying them out without a heap array in between. */
  ByteBuffer bytes();

  /** Returns the memory to the pool; the buffer must not be read after. */
  void giveBack();

  /** Gives {@code buffer} back if it is a lent one; any other buffer is the garbage collector's. */
  static void giveBack(Buffer buffer) {
    if (buffer instanceof LentBuffer lent) {
      lent.giveBack();
    }
  }
}
