package io.discs.gateway;

import io.discs.platform.error.DomainErrors;
import io.discs.platform.error.HttpStatus;
import io.discs.platform.error.Problem;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes every error as application/problem+json; the one place where failures meet HTTP. */
final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  private static final long LINGER_MS = 2_000;

  private Problems() {}

  static Future<Void> send(RoutingContext ctx, Problem problem) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      // Too late for a status: the client sees a cut-short body, which is the honest answer.
      response.reset();
      return Future.succeededFuture();
    }
    boolean unreadBody = bodyStillComing(ctx.request());
    if (unreadBody) {
      response.putHeader("Connection", "close");
    }
    Future<Void> sent =
        response
            .setStatusCode(problem.status())
            .putHeader("Content-Type", Problem.MEDIA_TYPE)
            .end(problem.toJson().encode());
    if (unreadBody) {
      lingeringClose(ctx);
    }
    return sent;
  }

  /**
   * Only a body that is still on its way makes the connection unusable for the next request. A
   * request without one (GET, HEAD, DELETE) may not have seen its end yet when a handler fails it
   * from a callback; closing then cost keep-alive clients their connection on every 404, and raced
   * the answer itself.
   */
  private static boolean bodyStillComing(HttpServerRequest request) {
    if (request.isEnded() || request.version() == HttpVersion.HTTP_2) {
      return false;
    }
    if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
      return true;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return length != null && !length.strip().equals("0");
  }

  /**
   * The rest of a refused upload is not worth storing, but a client still sending would miss the
   * answer if the connection closed at once: discard what arrives for a moment, then close.
   */
  private static void lingeringClose(RoutingContext ctx) {
    var request = ctx.request();
    var connection = request.connection();
    long timer = ctx.vertx().setTimer(LINGER_MS, id -> connection.close());
    request.handler(ignored -> {});
    request.endHandler(
        v -> {
          ctx.vertx().cancelTimer(timer);
          connection.close();
        });
    request.exceptionHandler(ignored -> {});
    request.resume();
  }

  /** Makes every failure and vertx-web's own errors on {@code router} problem+json. */
  static void handle(io.vertx.ext.web.Router router) {
    router.route().failureHandler(Problems::handleFailure);
    router.errorHandler(HttpStatus.NOT_FOUND, Problems::handleFailure);
    router.errorHandler(HttpStatus.METHOD_NOT_ALLOWED, Problems::handleFailure);
    router.errorHandler(HttpStatus.INTERNAL_ERROR, Problems::handleFailure);
  }

  /** Router-level failure handler: a status set by vertx-web, or an exception from a handler. */
  static void handleFailure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    Problem problem;
    if (failure == null) {
      int status = ctx.statusCode() > 0 ? ctx.statusCode() : HttpStatus.INTERNAL_ERROR;
      problem = Problem.of(status, defaultDetail(status));
    } else if (ctx.statusCode() == HttpStatus.RANGE_NOT_SATISFIABLE) {
      problem = Problem.of(HttpStatus.RANGE_NOT_SATISFIABLE, failure.getMessage());
    } else if (failure instanceof io.vertx.ext.web.handler.HttpException http) {
      problem =
          Problem.of(
              http.getStatusCode(),
              http.getPayload() != null ? http.getPayload() : defaultDetail(http.getStatusCode()));
    } else {
      problem = Problem.from(failure);
      DomainErrors.retryAfterSeconds(failure)
          .ifPresent(seconds -> ctx.response().putHeader("Retry-After", String.valueOf(seconds)));
      if (problem.status() == HttpStatus.INTERNAL_ERROR) {
        LOG.error("{} {} failed", ctx.request().method(), ctx.normalizedPath(), failure);
      } else if (problem.status() > HttpStatus.NOT_IMPLEMENTED) {
        LOG.warn(
            "{} {} answered {}: {}",
            ctx.request().method(),
            ctx.normalizedPath(),
            problem.status(),
            failure.getMessage());
      }
    }
    send(ctx, problem);
  }

  static String defaultDetail(int status) {
    return switch (status) {
      case HttpStatus.UNAUTHORIZED -> DomainErrors.TOKEN_REQUIRED;
      case HttpStatus.FORBIDDEN -> DomainErrors.ROLE_FORBIDS;
      case HttpStatus.NOT_FOUND -> "no such resource";
      case HttpStatus.METHOD_NOT_ALLOWED -> "method not allowed on this resource";
      case HttpStatus.CONTENT_TOO_LARGE -> "the request body is too large";
      case HttpStatus.UNSUPPORTED_MEDIA_TYPE -> "unsupported content type";
      default ->
          status >= HttpStatus.INTERNAL_ERROR
              ? "the server could not complete the request"
              : "the request is not valid";
    };
  }
}
