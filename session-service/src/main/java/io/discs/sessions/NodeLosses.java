package io.discs.sessions;

import io.discs.platform.Caller;
import io.discs.platform.sessions.SessionState;
import io.discs.platform.targets.TargetNodes;
import io.discs.platform.targets.TargetNodes.Standing;
import io.discs.sessions.SessionRepository.StoredSession;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails the sessions whose target node restarted (their targets died with its process) or has not
 * been heard from for a lease, so their owners hear 410 with the reason instead of beating for a
 * disc nobody serves.
 */
final class NodeLosses {
  private static final Logger LOG = LoggerFactory.getLogger(NodeLosses.class);

  private final SessionRepository repository;
  private final TargetNodes nodes;
  private final SessionServiceImpl sessions;

  NodeLosses(SessionRepository repository, TargetNodes nodes, SessionServiceImpl sessions) {
    this.repository = repository;
    this.nodes = nodes;
    this.sessions = sessions;
  }

  /** One pass; answers how many sessions it failed. */
  Future<Integer> failSessionsOfLostNodes() {
    return repository
        .active()
        .compose(
            active -> {
              List<Future<Boolean>> failed =
                  active.stream()
                      .filter(s -> s.targetNode() != null && s.targetIncarnation() != null)
                      .map(this::failIfLost)
                      .toList();
              return Future.join(failed)
                  .transform(
                      done ->
                          Future.succeededFuture(
                              (int)
                                  failed.stream()
                                      .filter(f -> f.succeeded() && f.result())
                                      .count()));
            });
  }

  private Future<Boolean> failIfLost(StoredSession session) {
    Standing standing = nodes.standing(session.targetNode(), session.targetIncarnation());
    String reason =
        switch (standing) {
          case SERVING -> null;
          case RESTARTED -> "target node " + session.targetNode() + " restarted";
          case GONE ->
              "target node " + session.targetNode() + " has not been heard from for a lease";
        };
    if (reason == null) {
      return Future.succeededFuture(false);
    }
    return sessions
        .finish(session, SessionState.FAILED, Caller.system(), "session.failed", reason)
        .onFailure(e -> LOG.warn("session {} not failed yet: {}", session.id(), e.getMessage()));
  }
}
