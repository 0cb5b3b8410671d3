package io.discs.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes a connection whose request headers have not all arrived within {@link #DEADLINE_MS}: of a
 * new connection, and of a kept-alive one after its last answer. A client that trickles its headers
 * a byte at a time resets every idle timeout, and would otherwise hold its connection for ever.
 */
final class HeaderDeadline {
  static final long DEADLINE_MS = 10_000;

  private final Vertx vertx;
  private final Map<HttpConnection, Long> waiting = new ConcurrentHashMap<>();

  HeaderDeadline(Vertx vertx) {
    this.vertx = vertx;
  }

  /** For the server's connection handler: the clock starts when the connection opens. */
  void opened(HttpConnection connection) {
    connection.closeHandler(v -> stop(connection));
    start(connection);
  }

  /** First on every request: its headers are complete; the clock restarts once it is answered. */
  void arrived(RoutingContext ctx) {
    HttpConnection connection = ctx.request().connection();
    stop(connection);
    ctx.addEndHandler(v -> start(connection));
    ctx.next();
  }

  private void start(HttpConnection connection) {
    long timer =
        vertx.setTimer(
            DEADLINE_MS,
            id -> {
              if (waiting.remove(connection, id)) {
                connection.close();
              }
            });
    Long previous = waiting.put(connection, timer);
    if (previous != null) {
      vertx.cancelTimer(previous);
    }
  }

  private void stop(HttpConnection connection) {
    Long timer = waiting.remove(connection);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }
}
