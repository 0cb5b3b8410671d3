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

  /** The caller's mounts, newest first; everyone's for operators and admins. Drives are apart. */
  Future<List<Session>> list(Caller caller);

  /**
   * One page of {@link #list}: from {@code offset}, at most {@code limit} (1 to {@link #MAX_PAGE}),
   * in {@code state} only when it is not null (PREPARING counts as ACTIVE).
   */
  Future<List<Session>> page(SessionState state, int offset, int limit, Caller caller);

  /** The caller's drives, newest first; everyone's for operators and admins. */
  Future<List<Session>> drives(Caller caller);

  /**
   * Puts an image into one of the caller's active drives (started with {@link
   * SessionStartRequest#setDrive}), in place of its disc; its initiator stays logged in.
   */
  Future<Session> insert(String id, String imageId, Caller caller);

  /** Takes the disc out of one of the caller's drives; 409 while the initiator locks it in. */
  Future<Session> eject(String id, boolean force, Caller caller);

  /** How many active sessions use each of these images (an image none uses is left out). */
  Future<io.vertx.core.json.JsonObject> activeCounts(List<String> imageIds, Caller caller);

  /** The largest page {@link #page} answers. */
  int MAX_PAGE = 1000;

  /** Whether an active session uses the image: asked by image-service before it deletes one. */
  Future<Boolean> hasActiveForImage(String imageId);
}
