package io.discs.targets.embedded.iscsi;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Data-In bytes the whole target may hold at once: read from images for initiators and not yet
 * taken by their sockets. Each connection is bounded too ({@link TaskTable}), but connections are
 * many; this keeps their sum under a share of the heap, so initiators that ask and never read slow
 * other readers down at worst, and never exhaust the memory the rest of the server needs.
 *
 * <p>A connection that finds no room leaves a wake-up and is called once bytes come back; it then
 * tries again on its own event loop.
 */
final class DataInBudget {
  /** The budget's share of the maximum heap, and its bounds. */
  static final int HEAP_FRACTION = 8;

  static final long MIN_BYTES = 32L << 20;
  static final long MAX_BYTES = 1L << 30;

  /** At most a sixteenth of the budget for one connection, and never more than 16 MiB. */
  static final int CONNECTION_FRACTION = 16;

  static final long MAX_CONNECTION_BYTES = 16L << 20;

  private final long capacity;
  private long taken; // guarded by this
  private final Set<Runnable> waiting = new LinkedHashSet<>(); // guarded by this

  DataInBudget(long capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("a Data-In budget must be positive");
    }
    this.capacity = capacity;
  }

  /** An eighth of the heap this JVM may grow to, within [32 MiB, 1 GiB]. */
  static DataInBudget forHeap(long maxHeapBytes) {
    return new DataInBudget(Math.max(MIN_BYTES, Math.min(MAX_BYTES, maxHeapBytes / HEAP_FRACTION)));
  }

  long capacity() {
    return capacity;
  }

  /** What one connection may have queued: a sixteenth of the budget, at most 16 MiB. */
  long perConnection() {
    return Math.min(MAX_CONNECTION_BYTES, capacity / CONNECTION_FRACTION);
  }

  /**
   * Takes {@code bytes} when they fit; otherwise remembers {@code wake}, run (on the caller's
   * thread of {@link #give}) after some bytes come back.
   */
  synchronized boolean take(long bytes, Runnable wake) {
    if (taken + bytes <= capacity) {
      taken += bytes;
      return true;
    }
    waiting.add(wake);
    return false;
  }

  void give(long bytes) {
    List<Runnable> wake;
    synchronized (this) {
      taken -= bytes;
      if (waiting.isEmpty()) {
        return;
      }
      wake = new ArrayList<>(waiting);
      waiting.clear();
    }
    wake.forEach(Runnable::run);
  }

  /** A connection that ended no longer waits. */
  synchronized void forget(Runnable wake) {
    waiting.remove(wake);
  }

  synchronized long taken() {
    return taken;
  }
}
