package io.discs.gateway;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;

/**
 * Headers every response carries: an API serves no pages, so browsers get the strictest settings.
 */
final class SecurityHeaders {
  private SecurityHeaders() {}

  static void apply(RoutingContext ctx) {
    MultiMap headers = ctx.response().headers();
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("X-Frame-Options", "DENY");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    headers.set("Cache-Control", "no-store");
    ctx.next();
  }
}
