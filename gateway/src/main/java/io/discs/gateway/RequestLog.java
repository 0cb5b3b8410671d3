package io.discs.gateway;

import io.discs.platform.Caller;
import io.discs.platform.RequestIds;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * First on every request: the request's id ({@code X-Request-Id} when the client sent a sane one,
 * else a new one) goes back in the answer, and when the answer is sent one line is logged with the
 * id, the user, the route, the status and the time taken (as MDC fields, so that {@code
 * DISCS_LOG_FORMAT=json} writes them as fields of the line).
 */
final class RequestLog {
  static final String HEADER = "X-Request-Id";
  static final String KEY = "discs.requestId";
  private static final Logger ACCESS = LoggerFactory.getLogger("discs.access");
  private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestLog() {}

  static void handle(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER);
    String id =
        given != null && SANE_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    RequestIds.set(id);
    ctx.response().putHeader(HEADER, id);
    long started = System.nanoTime();
    ctx.addEndHandler(
        done -> {
          if (!ACCESS.isInfoEnabled()) {
            return;
          }
          Caller caller = ctx.get("discs.caller");
          String route = ctx.currentRoute() == null ? null : ctx.currentRoute().getPath();
          long ms = (System.nanoTime() - started) / 1_000_000;
          int status = ctx.response().getStatusCode();
          // The MDC is per thread: set around this one line on the event loop, then cleared.
          try {
            MDC.put("requestId", id);
            MDC.put("method", ctx.request().method().name());
            MDC.put("route", route != null ? route : ctx.normalizedPath());
            MDC.put("status", String.valueOf(status));
            MDC.put("durationMs", String.valueOf(ms));
            if (caller != null) {
              MDC.put("user", caller.getUsername());
            }
            ACCESS.info("{} {} {} {} ms", ctx.request().method(), ctx.normalizedPath(), status, ms);
          } finally {
            MDC.clear();
          }
        });
    ctx.next();
  }
}
