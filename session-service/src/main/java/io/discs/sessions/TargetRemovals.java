package io.discs.sessions;

import io.discs.platform.Addresses;
import io.discs.platform.Caller;
import io.discs.platform.sessions.SessionState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails the session whose target was removed from under it (an operator's {@code DELETE
 * /targets/ID}), so its owner's next heartbeat hears 410 and the companion detaches, rather than
 * beating for a disc that is gone. It waits a moment before it looks: when a session ends, its own
 * target goes first, and that session is then ENDED, not FAILED.
 */
final class TargetRemovals {
  private static final Logger LOG = LoggerFactory.getLogger(TargetRemovals.class);
  private static final long SETTLE_MS = 1_000;

  private final Vertx vertx;
  private final SessionRepository repository;
  private final SessionServiceImpl sessions;

  TargetRemovals(Vertx vertx, SessionRepository repository, SessionServiceImpl sessions) {
    this.vertx = vertx;
    this.repository = repository;
    this.sessions = sessions;
  }

  MessageConsumer<JsonObject> listen() {
    return vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.EVENTS,
            message -> {
              JsonObject event = message.body();
              String resource = event.getString("resource", "");
              if ("target.deleted".equals(event.getString("type"))
                  && resource.startsWith("target/")) {
                vertx.setTimer(
                    SETTLE_MS,
                    id ->
                        failSessionOf(
                                resource.substring("target/".length()),
                                event
                                    .getJsonObject("details", new JsonObject())
                                    .getString("reason", "its target was removed"))
                            .onFailure(
                                e ->
                                    LOG.warn(
                                        "could not fail the session of removed target {}: {}",
                                        resource,
                                        e.getMessage())));
              }
            });
  }

  private Future<Void> failSessionOf(String targetId, String reason) {
    UUID id;
    try {
      id = UUID.fromString(targetId);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture();
    }
    return repository
        .activeWithTarget(id)
        .compose(
            found ->
                found
                    .map(
                        session ->
                            sessions
                                .finish(
                                    session,
                                    SessionState.FAILED,
                                    Caller.system(),
                                    "session.failed",
                                    reason)
                                .<Void>mapEmpty())
                    .orElse(Future.succeededFuture()));
  }
}
