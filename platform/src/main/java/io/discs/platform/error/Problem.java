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
        && service.failureCode() >= 400
        && service.failureCode() < 600) {
      return of(service.failureCode(), service.getMessage());
    }
    if (failure instanceof ReplyException reply
        && reply.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
      return of(503, "a discs service did not answer; try again shortly");
    }
    return of(500, "the server could not complete the request");
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("type", type)
        .put("title", title)
        .put("status", status)
        .put("detail", detail);
  }

  static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 406 -> "Not Acceptable";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 411 -> "Length Required";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 416 -> "Range Not Satisfiable";
      case 422 -> "Unprocessable Content";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 507 -> "Insufficient Storage";
      default -> status >= 500 ? "Internal Server Error" : "Error";
    };
  }
}
