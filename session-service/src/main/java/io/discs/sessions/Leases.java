package io.discs.sessions;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Session leases in cluster-wide shared data: every gateway's heartbeat lands in one map, so they
 * agree on a lease, and a heartbeat costs no database write. Entries carry a time to live a little
 * past the lease, so the map never keeps what nobody renews.
 */
final class Leases {
  static final String MAP = "discs.session-leases";
  private final Vertx vertx;
  private final long leaseMs;
  private final Clock clock;
  private final Instant startedAt;

  Leases(Vertx vertx, int leaseSeconds, Clock clock) {
    this.vertx = vertx;
    this.leaseMs = leaseSeconds * 1000L;
    this.clock = clock;
    this.startedAt = clock.instant();
  }

  /** Now, as leases measure it: every lease decision of this service asks here. */
  Instant now() {
    return clock.instant();
  }

  /**
   * When a session's lease really ends: never within one lease of this service's start. While no
   * session-service ran, heartbeats could not get through (the gateway answered 503), so a lease
   * that lapsed then, or that the map lost, gets one full lease from the start to be renewed.
   *
   * @param lease the map's lease, or null when the map has none
   * @param recorded the lease the session's row recorded
   */
  Instant expiry(Lease lease) {
    return expiry(lease, lease.expiresAt());
  }

  Instant expiry(Lease lease, Instant recorded) {
    Instant grace = startedAt.plusMillis(leaseMs);
    Instant known = lease != null ? lease.expiresAt() : recorded;
    return known.isAfter(grace) ? known : grace;
  }

  /** When a lease was last extended (the map keeps only its end). */
  Instant renewedAt(Lease lease) {
    return lease.expiresAt().minusMillis(leaseMs);
  }

  /** A lease as the map keeps it: whose session, and until when. */
  record Lease(String owner, Instant expiresAt) {}

  /** Starts or extends a lease from now; answers when it ends. */
  Future<Instant> extend(String sessionId, String owner) {
    long expires = clock.millis() + leaseMs;
    JsonObject value = new JsonObject().put("owner", owner).put("expires", expires);
    return map()
        .compose(map -> map.put(sessionId, value, leaseMs * 2))
        .map(v -> Instant.ofEpochMilli(expires));
  }

  Future<Optional<Lease>> find(String sessionId) {
    return map().compose(map -> map.get(sessionId)).map(value -> Optional.ofNullable(lease(value)));
  }

  /**
   * Every lease at once, by session id: one call for the reaper's whole pass instead of one per
   * session (10,000 lookups every pass stalled the event loop that heartbeats use).
   */
  Future<Map<String, Lease>> all() {
    return map()
        .compose(AsyncMap::entries)
        .map(
            entries -> {
              Map<String, Lease> leases = new HashMap<>(entries.size() * 2);
              entries.forEach((id, value) -> leases.put(id, lease(value)));
              return leases;
            });
  }

  private static Lease lease(JsonObject value) {
    return value == null
        ? null
        : new Lease(value.getString("owner"), Instant.ofEpochMilli(value.getLong("expires")));
  }

  Future<Void> drop(String sessionId) {
    return map().compose(map -> map.remove(sessionId)).mapEmpty();
  }

  long leaseMs() {
    return leaseMs;
  }

  private Future<AsyncMap<String, JsonObject>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }
}
