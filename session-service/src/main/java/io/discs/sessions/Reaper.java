package io.discs.sessions;

import io.discs.platform.Caller;
import io.discs.platform.sessions.SessionState;
import io.discs.sessions.SessionRepository.StoredSession;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Expires sessions whose lease has passed and removes their targets; fails those whose target node
 * is lost ({@link NodeLosses}) first. One reaper acts at a time across the cluster (a cluster-wide
 * lock); the others skip their turn. Within one lease of this service's start nothing expires
 * ({@link Leases#expiry}): clients could not beat while no session-service ran.
 */
final class Reaper {
  private static final Logger LOG = LoggerFactory.getLogger(Reaper.class);
  static final String LOCK = "discs.session-reaper";

  private final Vertx vertx;
  private final SessionRepository repository;
  private final Leases leases;
  private final SessionServiceImpl sessions;
  private final NodeLosses nodeLosses;

  Reaper(
      Vertx vertx,
      SessionRepository repository,
      Leases leases,
      SessionServiceImpl sessions,
      NodeLosses nodeLosses) {
    this.vertx = vertx;
    this.repository = repository;
    this.leases = leases;
    this.sessions = sessions;
    this.nodeLosses = nodeLosses;
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
                    : nodeLosses
                        .failSessionsOfLostNodes()
                        .onSuccess(
                            failed -> {
                              if (failed > 0) {
                                LOG.info("failed {} sessions whose target node is lost", failed);
                              }
                            })
                        .transform(ignored -> failStalledPreparations())
                        .transform(ignored -> expireLapsed())
                        .andThen(done -> acquired.result().release()));
  }

  /**
   * Fails the sessions still preparing a lease past the preparation's limit: whoever prepared them
   * (a session-service that stopped) will not finish, and their owners would beat for ever.
   */
  private Future<Integer> failStalledPreparations() {
    Instant before =
        leases.now().minus(SessionServiceImpl.PREPARATION_LIMIT).minusMillis(leases.leaseMs());
    return repository
        .preparingSince(before)
        .compose(
            stalled -> {
              List<Future<Boolean>> failed =
                  stalled.stream()
                      .map(
                          s ->
                              sessions.finish(
                                  s,
                                  SessionState.FAILED,
                                  Caller.system(),
                                  "session.failed",
                                  "its disc was not ready within "
                                      + SessionServiceImpl.PREPARATION_LIMIT.toMinutes()
                                      + " minutes"))
                      .toList();
              return Future.join(failed).transform(done -> Future.succeededFuture(failed.size()));
            });
  }

  /**
   * One read of the active rows and one of all leases find the candidates; each is looked up once
   * more before it is expired, since a heartbeat may have arrived after the leases were read.
   */
  private Future<Integer> expireLapsed() {
    return Future.all(repository.active(), leases.all())
        .compose(
            both -> {
              List<StoredSession> active = both.resultAt(0);
              Map<String, Leases.Lease> byId = both.resultAt(1);
              Instant now = leases.now();
              List<Future<Boolean>> expired = new ArrayList<>();
              for (StoredSession session : active) {
                if (!expiry(session, byId.get(session.id().toString())).isAfter(now)) {
                  expired.add(expireIfStillLapsed(session));
                }
              }
              return Future.join(expired)
                  .transform(
                      done ->
                          Future.succeededFuture(
                              (int)
                                  expired.stream()
                                      .filter(f -> f.succeeded() && f.result())
                                      .count()));
            });
  }

  private Future<Boolean> expireIfStillLapsed(StoredSession session) {
    return leases
        .find(session.id().toString())
        .compose(
            lease ->
                expiry(session, lease.orElse(null)).isAfter(leases.now())
                    ? Future.succeededFuture(false)
                    : sessions
                        .finish(
                            session,
                            SessionState.EXPIRED,
                            Caller.system(),
                            "session.expired",
                            "no heartbeat for a lease")
                        .onFailure(
                            e ->
                                LOG.warn(
                                    "session {} not expired yet: {}",
                                    session.id(),
                                    e.getMessage())));
  }

  private Instant expiry(StoredSession session, Leases.Lease lease) {
    return leases.expiry(lease, session.leaseExpiresAt());
  }
}
