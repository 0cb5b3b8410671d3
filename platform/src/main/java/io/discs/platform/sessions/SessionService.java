package io.discs.platform.sessions;

import io.discs.platform.Caller;
import io.vertx.codegen.annotations.ProxyGen;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import java.util.List;

/** Mount sessions: start, keep alive, end. */
@ProxyGen
@VertxGen
public interface SessionService {

  Future<Session> start(SessionStartRequest request, Caller caller);

  Future<Session> heartbeat(String id, Caller caller);

  Future<Void> end(String id, Caller caller);

  /**
   * One session of the caller's (any, for an admin). A preparing one says how far its image's fetch
   * got; an active one asked by its owner carries its CHAP secret (a session started with {@code
   * Prefer: respond-async} gets it this way).
   */
  Future<Session> get(String id, Caller caller);

  /** The caller's sessions; every session for an admin. */
  Future<List<Session>> list(Caller caller);

  /** Whether an active session uses the image: asked by image-service before it deletes one. */
  Future<Boolean> hasActiveForImage(String imageId);
}
