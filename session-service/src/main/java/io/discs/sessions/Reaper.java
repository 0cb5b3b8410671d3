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

  /** One pass; answers how many sessions it expired (0 when another reaper holds the lock). */
  Future<Integer> reap() {
    return vertx
        .sharedData()
        .getLockWithTimeout(LOCK, 100)
        .compose(lock -> expireLapsed().andThen(done -> lock.release()))
        .recover(
            failure -> {
              if (failure.getMessage() != null && failure.getMessage().contains("Timed out")) {
                return Future.succeededFuture(0);
              }
              return Future.failedFuture(failure);
            });
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
                                  .map(true)
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
