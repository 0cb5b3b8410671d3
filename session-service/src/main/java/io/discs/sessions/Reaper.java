package io.discs.sessions;

import io.discs.platform.Caller;
import io.discs.platform.sessions.SessionState;
import io.discs.sessions.SessionRepository.StoredSession;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expires sessions whose lease has passed and removes their targets. One reaper acts at a time
 * across the cluster (a cluster-wide lock); the others skip their turn. A session with no lease in
 * shared data (the cluster restarted) gets one full lease from this service's start to beat again.
 */
final class Reaper {
  private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);
  static final String LOCK = "discs.session-reaper";

  private final Vertx vertx;
  private final SessionRepository repository;
  private final Leases leases;
  private final SessionServiceImpl sessions;
  private final Instant startedAt = Instant.now();

  Reaper(Vertx vertx, SessionRepository repository, Leases leases, SessionServiceImpl sessions) {
    this.vertx = vertx;
    this.repository = repository;
    this.leases = leases;
    this.sessions = sessions;
  }

  /**
   * One pass; answers how many sessions it expired (0 when another reaper holds the lock). A
   * session its owner ended while this pass looked at it is not counted: its lease is gone because
   * it is over, not because it lapsed.
   */
  Future<Integer> reap() {
    // Not getting the lock in time means another reaper is at work (or the cluster could not say):
    // either way this turn is skipped, and the next one tries again.
    return vertx
        .sharedData()
        .getLockWithTimeout(LOCK, 100)
        .transform(
            acquired ->
                acquired.failed()
                    ? Future.succeededFuture(0)
                    : expireLapsed().andThen(done -> acquired.result().release()));
  }

  private Future<Integer> expireLapsed() {
    return repository
        .active()
        .compose(
            active -> {
              List<Future<Boolean>> checks = new ArrayList<>();
              for (StoredSession session : active) {
                checks.add(
                    leases
                        .find(session.id().toString())
                        .compose(
                            lease -> {
                              Instant grace = startedAt.plusMillis(leases.leaseMs());
                              Instant expires =
                                  lease
                                      .map(Leases.Lease::expiresAt)
                                      .orElse(
                                          session.leaseExpiresAt().isAfter(grace)
                                              ? session.leaseExpiresAt()
                                              : grace);
                              if (expires.isAfter(Instant.now())) {
                                return Future.succeededFuture(false);
                              }
                              return sessions
                                  .finish(
                                      session,
                                      SessionState.EXPIRED,
                                      Caller.system(),
                                      "session.expired")
                                  .onFailure(
                                      e ->
                                          LOG.warn(
                                              "session {} not expired yet: {}",
                                              session.id(),
                                              e.getMessage()));
                            }));
              }
              return Future.join(checks)
                  .transform(
                      done ->
                          Future.succeededFuture(
                              (int)
                                  checks.stream()
                                      .filter(f -> f.succeeded() && f.result())
                                      .count()));
            });
  }
}
