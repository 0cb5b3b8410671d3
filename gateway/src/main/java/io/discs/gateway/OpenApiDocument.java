package io.discs.gateway;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the OpenAPI document bundled in the jar; read once, on a worker, when the gateway starts.
 */
final class OpenApiDocument {
  static final String RESOURCE = "/io/discs/gateway/openapi.yaml";

  private OpenApiDocument() {}

  static Handler<RoutingContext> handler(Buffer document) {
    return ctx -> ctx.response().putHeader("Content-Type", "application/yaml").end(document);
  }

  /** Blocking: reads the jar. */
  static Buffer load() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("openapi.yaml missing from the gateway jar");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
