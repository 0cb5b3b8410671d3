package io.discs.sessions;

import io.discs.platform.Caller;
import io.discs.platform.sessions.Session;
import io.discs.platform.sessions.SessionService;
import io.discs.platform.sessions.SessionStartRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.List;

/**
 * Counts what sessions do, for the dashboard: sessions started and heartbeats received (the active
 * sessions are a gauge the verticle keeps from the database).
 */
final class MeteredSessionService implements SessionService {
  private final SessionService sessions;
  private final Counter started;
  private final Counter heartbeats;

  MeteredSessionService(SessionService sessions, MeterRegistry registry) {
    this.sessions = sessions;
    this.started =
        Counter.builder("discs.sessions.started")
            .description("sessions started")
            .register(registry);
    this.heartbeats =
        Counter.builder("discs.sessions.heartbeats")
            .description("heartbeats that kept a session alive")
            .register(registry);
  }

  @Override
  public Future<Session> start(SessionStartRequest request, Caller caller) {
    return sessions.start(request, caller).onSuccess(s -> started.increment());
  }

  @Override
  public Future<Session> heartbeat(String id, Caller caller) {
    return sessions.heartbeat(id, caller).onSuccess(s -> heartbeats.increment());
  }

  @Override
  public Future<Void> end(String id, Caller caller) {
    return sessions.end(id, caller);
  }

  @Override
  public Future<Session> get(String id, Caller caller) {
    return sessions.get(id, caller);
  }

  @Override
  public Future<List<Session>> list(Caller caller) {
    return sessions.list(caller);
  }

  @Override
  public Future<List<Session>> page(
      io.discs.platform.sessions.SessionState state, int offset, int limit, Caller caller) {
    return sessions.page(state, offset, limit, caller);
  }

  @Override
  public Future<io.vertx.core.json.JsonObject> activeCounts(List<String> imageIds, Caller caller) {
    return sessions.activeCounts(imageIds, caller);
  }

  @Override
  public Future<List<Session>> drives(Caller caller) {
    return sessions.drives(caller);
  }

  @Override
  public Future<Session> insert(String id, String imageId, Caller caller) {
    return sessions.insert(id, imageId, caller);
  }

  @Override
  public Future<Session> eject(String id, boolean force, Caller caller) {
    return sessions.eject(id, force, caller);
  }

  @Override
  public Future<Boolean> hasActiveForImage(String imageId) {
    return sessions.hasActiveForImage(imageId);
  }
}
