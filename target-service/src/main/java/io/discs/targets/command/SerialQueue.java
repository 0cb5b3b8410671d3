package io.discs.targets.command;

import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * Runs operations one after another, in the order they were queued: backend mutations on one host
 * never interleave (tgt picks tids as max + 1, and parallel targetcli runs corrupt its state). A
 * failed operation does not stop the ones queued after it. Use from one event-loop context.
 */
public final class SerialQueue {
  private Future<?> tail = Future.succeededFuture();

  public synchronized <T> Future<T> submit(Supplier<Future<T>> operation) {
    Future<T> result = tail.transform(ignored -> operation.get());
    tail = result;
    return result;
  }
}
