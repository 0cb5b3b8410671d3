package io.discs.images.upload;

import io.vertx.core.Context;
import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link DirectFileWriter}'s aligned staging buffers, kept for the next upload. A new direct buffer
 * is zeroed and page-faulted in on first touch: with every upload allocating its own, that was 9 %
 * of the hash stage's time on a 1 GiB upload. One per image-service (its verticle owns it and hands
 * it to both kinds of upload); it keeps at most {@link #KEPT} buffers and leaves the rest to the
 * garbage collector, and it shares {@link #BUDGET_BYTES} of unwritten staging among the uploads
 * under way.
 */
public final class StagingBuffers {
  /** One fast upload's worth (it holds up to about 34 while its disk falls behind). */
  private static final int KEPT = 40;

  /** Staging all uploads under way may hold unwritten, shared out evenly. */
  private static final long BUDGET_BYTES = 128L << 20;

  private record Kept(ByteBuffer buffer, int size, int alignment) {}

  private final Queue<Kept> kept = new ConcurrentLinkedQueue<>();
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicInteger writers = new AtomicInteger();
  private final AtomicLong allocatedOnEventLoops = new AtomicLong();

  /** Counts a writer in until {@link #writerClosed()}. */
  void writerOpened() {
    writers.incrementAndGet();
  }

  void writerClosed() {
    writers.decrementAndGet();
  }

  /** The staging bytes one writer may hold unwritten while this many are open. */
  long shareBytes() {
    return BUDGET_BYTES / Math.max(1, writers.get());
  }

  /**
   * A buffer of {@code size} bytes whose address is a multiple of {@code alignment}. Blocking: a
   * new one is zeroed, and under direct-memory pressure the JDK runs a GC and may sleep; so workers
   * only.
   */
  ByteBuffer take(int size, int alignment) {
    ByteBuffer reused = takeKept(size, alignment);
    if (reused != null) {
      return reused;
    }
    if (Context.isOnEventLoopThread()) {
      allocatedOnEventLoops.incrementAndGet();
    }
    return ByteBuffer.allocateDirect(size + alignment).alignedSlice(alignment).slice(0, size);
  }

  /** A kept buffer like {@link #take}'s, or null; never allocates, so any thread may ask. */
  ByteBuffer takeKept(int size, int alignment) {
    Kept candidate = kept.poll();
    if (candidate == null) {
      return null;
    }
    count.decrementAndGet();
    return candidate.size() == size && candidate.alignment() == alignment
        ? candidate.buffer().clear()
        : null;
  }

  /** How many buffers were allocated on an event loop (a chunk larger than a writer's spares). */
  long allocatedOnEventLoops() {
    return allocatedOnEventLoops.get();
  }

  /** Keeps {@code buffer} (from {@link #take}) for reuse; nobody may use it after. */
  void giveBack(ByteBuffer buffer, int size, int alignment) {
    if (count.incrementAndGet() <= KEPT) {
      kept.add(new Kept(buffer, size, alignment));
    } else {
      count.decrementAndGet();
    }
  }
}
