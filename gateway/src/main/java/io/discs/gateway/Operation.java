package io.discs.gateway;

import io.discs.gateway.auth.Permission;
import io.vertx.core.http.HttpMethod;

/**
 * Every {@code /api/v1} operation with the permission it needs: the one route table. A route that
 * is not here does not exist, and the gateway refuses to start if one here has no handler.
 */
public enum Operation {
  ISSUE_TOKEN(HttpMethod.POST, "/auth/token", Permission.PUBLIC),
  LIST_USERS(HttpMethod.GET, "/users", Permission.USERS),
  CREATE_USER(HttpMethod.POST, "/users", Permission.USERS),
  DELETE_USER(HttpMethod.DELETE, "/users/:name", Permission.USERS),
  CHANGE_OWN_PASSWORD(HttpMethod.POST, "/users/me/password", Permission.SELF),

  LIST_IMAGES(HttpMethod.GET, "/images", Permission.IMAGES_READ),
  UPLOAD_IMAGE(HttpMethod.POST, "/images", Permission.IMAGES_WRITE),
  GET_IMAGE(HttpMethod.GET, "/images/:id", Permission.IMAGES_READ),
  DELETE_IMAGE(HttpMethod.DELETE, "/images/:id", Permission.IMAGES_WRITE),
  GET_IMAGE_CONTENT(HttpMethod.GET, "/images/:id/content", Permission.IMAGES_READ),
  HEAD_IMAGE_CONTENT(HttpMethod.HEAD, "/images/:id/content", Permission.IMAGES_READ),

  CREATE_TARGET(HttpMethod.POST, "/targets", Permission.TARGETS),
  LIST_TARGETS(HttpMethod.GET, "/targets", Permission.TARGETS),
  GET_TARGET(HttpMethod.GET, "/targets/:id", Permission.TARGETS),
  DELETE_TARGET(HttpMethod.DELETE, "/targets/:id", Permission.TARGETS),

  DISCOVERY(HttpMethod.GET, "/discovery", Permission.SESSIONS),
  START_SESSION(HttpMethod.POST, "/sessions", Permission.SESSIONS),
  LIST_SESSIONS(HttpMethod.GET, "/sessions", Permission.SESSIONS),
  HEARTBEAT(HttpMethod.POST, "/sessions/:id/heartbeat", Permission.SESSIONS),
  END_SESSION(HttpMethod.DELETE, "/sessions/:id", Permission.SESSIONS),

  QUERY_AUDIT(HttpMethod.GET, "/audit", Permission.AUDIT),
  VERIFY_AUDIT(HttpMethod.GET, "/audit/verify", Permission.AUDIT);

  private final HttpMethod method;
  private final String path;
  private final Permission permission;

  Operation(HttpMethod method, String path, Permission permission) {
    this.method = method;
    this.path = path;
    this.permission = permission;
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
}
