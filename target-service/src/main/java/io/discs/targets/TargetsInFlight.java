package io.discs.targets;

import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Targets this node is making right now, so that reconciliation does not mistake one for lost (its
 * row is written, the backend does not have it yet: it would be made twice) or for stray (its row
 * was written after the pass read the rows, the backend has it already: it would be removed under
 * its new session). A pass watches from its start and leaves alone every target that was in flight
 * at any moment of it.
 */
final class TargetsInFlight {
  private final Set<String> now = ConcurrentHashMap.newKeySet();
  private final List<Set<String>> watches = new CopyOnWriteArrayList<>();

  <T> Future<T> during(String iqn, Supplier<Future<T>> work) {
    now.add(iqn);
    watches.forEach(seen -> seen.add(iqn));
    Future<T> done;
    try {
      done = work.get();
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    return done.andThen(result -> now.remove(iqn));
  }

  /** Starts a watch: the set grows with every target that goes in flight until {@link #end}. */
  Set<String> watch() {
    Set<String> seen = ConcurrentHashMap.newKeySet();
    seen.addAll(now);
    watches.add(seen);
    return seen;
  }

  void end(Set<String> watch) {
    watches.removeIf(seen -> seen == watch);
  }
}
