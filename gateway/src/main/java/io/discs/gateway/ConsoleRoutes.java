package io.discs.gateway;

import io.discs.platform.error.HttpStatus;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The console at {@code /}: its page, script and style sheet, under a Content-Security-Policy that
 * lets the page run only its own script and talk only to this origin (no inline script, no other
 * origin, no framing). Everything else stays the API's.
 */
final class ConsoleRoutes {
  /** Scripts, styles and connections from this origin only; nothing inline, nothing framed. */
  static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private ConsoleRoutes() {}

  static void mount(Router router, ConsoleFiles files) {
    if (files.isEmpty()) {
      return;
    }
    router.route(HttpMethod.GET, "/").handler(ctx -> send(ctx, files, "index.html"));
    router.route(HttpMethod.HEAD, "/").handler(ctx -> send(ctx, files, "index.html"));
    // Names only, no folders: the console's files sit side by side.
    router
        .routeWithRegex("/([A-Za-z0-9][A-Za-z0-9._-]*\\.(?:html|js|css|svg|png))")
        .method(HttpMethod.GET)
        .method(HttpMethod.HEAD)
        .handler(ctx -> send(ctx, files, ctx.pathParam("param0")));
  }

  private static void send(RoutingContext ctx, ConsoleFiles files, String name) {
    var found = files.get(name);
    if (found.isEmpty()) {
      ctx.next();
      return;
    }
    ConsoleFiles.File file = found.get();
    MultiMap headers = ctx.response().headers();
    headers.set("Content-Security-Policy", POLICY);
    // Fixed names: the browser asks again each time and gets 304 while the file is the same.
    headers.set("Cache-Control", "no-cache");
    headers.set("ETag", file.etag());
    headers.set("Vary", "Accept-Encoding");
    headers.set("Cross-Origin-Opener-Policy", "same-origin");
    headers.set("Content-Type", file.contentType());
    if (file.etag().equals(ctx.request().getHeader("If-None-Match"))) {
      ctx.response().setStatusCode(HttpStatus.NOT_MODIFIED).end();
      return;
    }
    String accepted = ctx.request().getHeader("Accept-Encoding");
    boolean gzip = accepted != null && accepted.toLowerCase(java.util.Locale.ROOT).contains("gzip");
    if (gzip) {
      headers.set("Content-Encoding", "gzip");
    }
    if (ctx.request().method() == HttpMethod.HEAD) {
      headers.set(
          "Content-Length", String.valueOf((gzip ? file.gzipped() : file.bytes()).length()));
      ctx.response().end();
      return;
    }
    ctx.response().end(gzip ? file.gzipped() : file.bytes());
  }
}
