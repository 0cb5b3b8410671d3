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
  private final Counter inserted;
  private final Counter ejected;

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
    this.inserted = discChanges(registry, "inserted");
    this.ejected = discChanges(registry, "ejected");
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
    return sessions.insert(id, imageId, caller).onSuccess(s -> inserted.increment());
  }

  @Override
  public Future<Session> eject(String id, boolean force, Caller caller) {
    return sessions.eject(id, force, caller).onSuccess(s -> ejected.increment());
  }

  /** Discs put into or taken out of drives through discs (an initiator's own ejects are not). */
  private static Counter discChanges(MeterRegistry registry, String change) {
    return Counter.builder("discs.drives.disc.changes")
        .tag("change", change)
        .description("discs inserted into or ejected from drives through the API")
        .register(registry);
  }

  @Override
  public Future<Boolean> hasActiveForImage(String imageId) {
    return sessions.hasActiveForImage(imageId);
  }
}
