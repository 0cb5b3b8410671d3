package io.discs.session.impl;

import io.discs.platform.Caller;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.session.Session;
import io.discs.platform.session.SessionService;
import io.vertx.core.Future;
import java.util.List;

/** Lists sessions; starting, heartbeats and ending arrive with the companion mount flow issue. */
final class SessionServiceImpl implements SessionService {
  private final SessionRepository repository;

  SessionServiceImpl(SessionRepository repository) {
    this.repository = repository;
  }

  @Override
  public Future<Session> start(String imageId, String initiatorIqn, String deviceType, Caller caller) {
    return Future.failedFuture(DomainErrors.notImplemented("mount sessions"));
  }

  @Override
  public Future<Session> heartbeat(String id, Caller caller) {
    return Future.failedFuture(DomainErrors.notImplemented("mount sessions"));
  }

  @Override
  public Future<Void> end(String id, Caller caller) {
    return Future.failedFuture(DomainErrors.notImplemented("mount sessions"));
  }

  @Override
  public Future<List<Session>> list(Caller caller) {
    return repository.list(caller.hasRole("admin") ? null : caller.username());
  }
}
