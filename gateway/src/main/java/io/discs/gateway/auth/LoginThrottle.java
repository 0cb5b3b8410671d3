package io.discs.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Slows down and then locks password guessing, per user name and per source address. Counters and
 * locks live in cluster-wide shared data with a time to live, so every gateway counts together and
 * nothing needs cleaning up. An address gets more tries than a name: many people share one NAT.
 */
public final class LoginThrottle {
  static final String MAP = "discs.login-throttle";
  private static final String REFUSED_COUNTER = "discs.login-refused.";
  private static final int ADDRESS_FACTOR = 4;
  private static final long WINDOW_MS = Duration.ofMinutes(15).toMillis();
  private static final long MAX_DELAY_MS = 4_000;

  private final Vertx vertx;
  private final int maxFailures;
  private final long lockMs;
  private final Clock clock;

  public LoginThrottle(Vertx vertx, int maxFailures, int lockSeconds, Clock clock) {
    this.vertx = vertx;
    this.maxFailures = maxFailures;
    this.lockMs = lockSeconds * 1000L;
    this.clock = clock;
  }

  /** How long the caller must wait before trying again, if the name or the address is locked. */
  public Future<Optional<Duration>> lockedFor(String username, String address) {
    return map()
        .compose(
            map ->
                Future.all(map.get(lockKey("user", username)), map.get(lockKey("ip", address)))
                    .map(
                        both -> {
                          long now = clock.millis();
                          long until = Math.max(value(both.resultAt(0)), value(both.resultAt(1)));
                          return until > now
                              ? Optional.of(Duration.ofMillis(until - now))
                              : Optional.empty();
                        }));
  }

  /**
   * Counts a failure; locks the name or address that reached its limit. Answers how long to hold
   * the failed answer back: nothing for the first failure, then doubling up to a few seconds.
   */
  /**
   * @param delay how long to hold the failed answer back
   * @param lockedNow whether this failure locked the name (the moment to audit the lock)
   * @param failures the failures counted against the name or address
   */
  public record Failure(Duration delay, boolean lockedNow, long failures) {}

  public Future<Failure> failed(String username, String address) {
    return map()
        .compose(
            map ->
                Future.all(
                        count(map, "user", username, maxFailures),
                        count(map, "ip", address, maxFailures * ADDRESS_FACTOR))
                    .map(
                        both -> {
                          long failures =
                              Math.max(
                                  (Long) both.resultAt(0),
                                  ((Long) both.resultAt(1)) / ADDRESS_FACTOR);
                          long delay =
                              failures <= 1
                                  ? 0
                                  : Math.min(MAX_DELAY_MS, 250L << Math.min(10, failures - 2));
                          boolean lockedNow =
                              (Long) both.resultAt(0) >= maxFailures
                                  || (Long) both.resultAt(1) >= (long) maxFailures * ADDRESS_FACTOR;
                          return new Failure(Duration.ofMillis(delay), lockedNow, failures);
                        }));
  }

  /** Counts an attempt refused while the name was locked; no audit row each. */
  public Future<Long> refusedWhileLocked(String username) {
    return vertx
        .sharedData()
        .getCounter(REFUSED_COUNTER + username)
        .compose(counter -> counter.incrementAndGet());
  }

  /** The attempts refused while locked since the last call, and back to zero. */
  public Future<Long> takeRefusedWhileLocked(String username) {
    return vertx
        .sharedData()
        .getCounter(REFUSED_COUNTER + username)
        .compose(counter -> counter.getAndAdd(0).compose(n -> counter.addAndGet(-n).map(n)));
  }

  public Future<Void> succeeded(String username) {
    return map().compose(map -> clearSlots(map, "user", username, maxFailures));
  }

  private Future<Long> count(AsyncMap<String, Long> map, String kind, String subject, int limit) {
    return claimSlot(map, kind, subject, 1, limit)
        .compose(
            failures -> {
              if (failures < limit) {
                return Future.succeededFuture(failures);
              }
              return map.put(lockKey(kind, subject), clock.millis() + lockMs, lockMs)
                  .compose(v -> clearSlots(map, kind, subject, limit))
                  .map(failures);
            });
  }

  /**
   * Each failure claims the first free numbered slot with putIfAbsent, so concurrent gateways never
   * count the same failure twice. Every slot is written once with its time to live and never
   * replaced: the cluster map cannot replace an entry and keep its expiry.
   */
  private Future<Long> claimSlot(
      AsyncMap<String, Long> map, String kind, String subject, long slot, int limit) {
    return map.putIfAbsent(slotKey(kind, subject, slot), clock.millis(), WINDOW_MS)
        .compose(
            previous -> {
              if (previous == null || slot >= limit) {
                return Future.succeededFuture(slot);
              }
              return claimSlot(map, kind, subject, slot + 1, limit);
            });
  }

  private Future<Void> clearSlots(
      AsyncMap<String, Long> map, String kind, String subject, int limit) {
    List<Future<Long>> removals = new ArrayList<>();
    for (long slot = 1; slot <= limit; slot++) {
      removals.add(map.remove(slotKey(kind, subject, slot)));
    }
    return Future.all(removals).mapEmpty();
  }

  private Future<AsyncMap<String, Long>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }

  private static String slotKey(String kind, String subject, long slot) {
    return "failure:" + kind + ":" + subject + ":" + slot;
  }

  private static String lockKey(String kind, String subject) {
    return "lock:" + kind + ":" + subject;
  }

  private static long value(Object stored) {
    return stored instanceof Long l ? l : 0L;
  }
}
