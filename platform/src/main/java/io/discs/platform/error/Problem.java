package io.discs.platform.error;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;

/**
 * An RFC 9457 problem detail. {@link #from(Throwable)} is the one place where a failure becomes
 * what a client sees: domain errors keep their message, anything else becomes a plain 500 so no
 * stack trace or internal name leaks.
 */
public record Problem(String type, String title, int status, String detail) {
  public static final String MEDIA_TYPE = "application/problem+json";

  public static Problem of(int status, String detail) {
    return new Problem("about:blank", title(status), status, detail);
  }

  public static Problem from(Throwable failure) {
    if (failure instanceof ServiceException service
        && service.failureCode() >= HttpStatus.BAD_REQUEST
        && service.failureCode() < 600) {
      return of(service.failureCode(), service.getMessage());
    }
    if (failure instanceof ReplyException reply
        && reply.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
      return of(
          HttpStatus.SERVICE_UNAVAILABLE, "a discs service did not answer; try again shortly");
    }
    return of(HttpStatus.INTERNAL_ERROR, "the server could not complete the request");
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("type", type)
        .put("title", title)
        .put("status", status)
        .put("detail", detail);
  }

  static String title(int status) {
    return HttpStatus.reasonPhrase(status);
  }
}
