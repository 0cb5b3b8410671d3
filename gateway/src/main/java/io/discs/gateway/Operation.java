package io.discs.gateway;

import io.discs.gateway.auth.Permission;
import io.vertx.core.http.HttpMethod;

/**
 * Every {@code /api/v1} operation with the permission it needs: the one route table. A route that
 * is not here does not exist, and the gateway refuses to start if one here has no handler.
 */
public enum Operation {
  ISSUE_TOKEN(HttpMethod.POST, "/auth/token", Permission.PUBLIC, Body.JSON),
  LOGOUT(HttpMethod.POST, "/auth/logout", Permission.SELF),
  LIST_USERS(HttpMethod.GET, "/users", Permission.USERS),
  CREATE_USER(HttpMethod.POST, "/users", Permission.USERS, Body.JSON),
  DELETE_USER(HttpMethod.DELETE, "/users/:name", Permission.USERS),
  UPDATE_USER(HttpMethod.PATCH, "/users/:name", Permission.USERS, Body.JSON),
  CHANGE_OWN_PASSWORD(HttpMethod.POST, "/users/me/password", Permission.SELF, Body.JSON),

  LIST_IMAGES(HttpMethod.GET, "/images", Permission.IMAGES_READ),
  UPLOAD_IMAGE(HttpMethod.POST, "/images", Permission.IMAGES_WRITE, Body.STREAM_IN),
  GET_IMAGE(HttpMethod.GET, "/images/:id", Permission.IMAGES_READ),
  DELETE_IMAGE(HttpMethod.DELETE, "/images/:id", Permission.IMAGES_WRITE),
  GET_IMAGE_CONTENT(HttpMethod.GET, "/images/:id/content", Permission.IMAGES_READ, Body.STREAM_OUT),
  HEAD_IMAGE_CONTENT(HttpMethod.HEAD, "/images/:id/content", Permission.IMAGES_READ),

  UPLOAD_OPTIONS(HttpMethod.OPTIONS, "/uploads", Permission.IMAGES_WRITE),
  CREATE_UPLOAD(HttpMethod.POST, "/uploads", Permission.IMAGES_WRITE, Body.STREAM_IN),
  GET_UPLOAD(HttpMethod.GET, "/uploads/:id", Permission.IMAGES_WRITE),
  HEAD_UPLOAD(HttpMethod.HEAD, "/uploads/:id", Permission.IMAGES_WRITE),
  APPEND_UPLOAD(HttpMethod.PATCH, "/uploads/:id", Permission.IMAGES_WRITE, Body.STREAM_IN),
  DELETE_UPLOAD(HttpMethod.DELETE, "/uploads/:id", Permission.IMAGES_WRITE),

  CREATE_TARGET(HttpMethod.POST, "/targets", Permission.TARGETS, Body.JSON),
  LIST_TARGETS(HttpMethod.GET, "/targets", Permission.TARGETS),
  GET_TARGET(HttpMethod.GET, "/targets/:id", Permission.TARGETS),
  DELETE_TARGET(HttpMethod.DELETE, "/targets/:id", Permission.TARGETS),
  LIST_NODES(HttpMethod.GET, "/nodes", Permission.TARGETS),

  DISCOVERY(HttpMethod.GET, "/discovery", Permission.SESSIONS),
  START_SESSION(HttpMethod.POST, "/sessions", Permission.SESSIONS, Body.JSON),
  LIST_SESSIONS(HttpMethod.GET, "/sessions", Permission.SESSIONS),
  GET_SESSION(HttpMethod.GET, "/sessions/:id", Permission.SESSIONS),
  HEARTBEAT(HttpMethod.POST, "/sessions/:id/heartbeat", Permission.SESSIONS),
  END_SESSION(HttpMethod.DELETE, "/sessions/:id", Permission.SESSIONS),

  CREATE_DRIVE(HttpMethod.POST, "/drives", Permission.SESSIONS, Body.JSON),
  LIST_DRIVES(HttpMethod.GET, "/drives", Permission.SESSIONS),
  GET_DRIVE(HttpMethod.GET, "/drives/:id", Permission.SESSIONS),
  DRIVE_HEARTBEAT(HttpMethod.POST, "/drives/:id/heartbeat", Permission.SESSIONS),
  INSERT_DISC(HttpMethod.POST, "/drives/:id/insert", Permission.SESSIONS, Body.JSON),
  EJECT_DISC(HttpMethod.POST, "/drives/:id/eject", Permission.SESSIONS, Body.JSON),
  DELETE_DRIVE(HttpMethod.DELETE, "/drives/:id", Permission.SESSIONS),

  QUERY_AUDIT(HttpMethod.GET, "/audit", Permission.AUDIT),
  VERIFY_AUDIT(HttpMethod.GET, "/audit/verify", Permission.AUDIT);

  /** Where every operation's path starts. */
  public static final String BASE = "/api/v1";

  /** What travels with the request and response, which decides body handling and time limits. */
  public enum Body {
    /** Small request, small answer: a deadline for the whole exchange. */
    NONE,
    /** A JSON request body, read whole (bounded) before the handler runs; a deadline. */
    JSON,
    /** A streamed request body of any length: no deadline, an idle timeout instead. */
    STREAM_IN,
    /** A streamed answer of any length (an image's bytes): no deadline. */
    STREAM_OUT
  }

  private final HttpMethod method;
  private final String path;
  private final Permission permission;
  private final Body body;

  Operation(HttpMethod method, String path, Permission permission) {
    this(method, path, permission, Body.NONE);
  }

  Operation(HttpMethod method, String path, Permission permission, Body body) {
    this.method = method;
    this.path = path;
    this.permission = permission;
    this.body = body;
  }

  public Body body() {
    return body;
  }

  public HttpMethod method() {
    return method;
  }

  /** Relative to {@code /api/v1}, in vertx-web's {@code :param} form. */
  public String path() {
    return path;
  }

  public Permission permission() {
    return permission;
  }

  /** The full path of this operation on the resource {@code id} (its one path parameter). */
  public String at(String id) {
    return BASE + path.replaceFirst(":[a-z]+", id);
  }

  /** Whether a request line names this operation; {@code fullPath} without its query. */
  public boolean matches(String methodName, String fullPath) {
    if (!method.name().equals(methodName) || !fullPath.startsWith(BASE)) {
      return false;
    }
    String[] want = path.split("/", -1);
    String[] have = fullPath.substring(BASE.length()).split("/", -1);
    if (want.length != have.length) {
      return false;
    }
    for (int i = 0; i < want.length; i++) {
      boolean parameter = want[i].startsWith(":") && !have[i].isEmpty();
      if (!parameter && !want[i].equals(have[i])) {
        return false;
      }
    }
    return true;
  }
}
