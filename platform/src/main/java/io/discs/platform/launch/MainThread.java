package io.discs.platform.launch;

import io.vertx.core.Future;
import java.time.Duration;

/**
 * Waiting for a Vert.x future from a plain thread (main, a shutdown hook), never from an event
 * loop. It watches the future's state rather than adding a listener: while Vert.x closes, a
 * listener would be dispatched to an event loop that no longer runs and never fire.
 */
public final class MainThread {
  private MainThread() {}

  /** True when the future completed (either way) within {@code max}. */
  public static boolean awaitCompletion(Future<?> future, Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    while (!future.isComplete()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
