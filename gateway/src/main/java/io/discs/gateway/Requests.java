package io.discs.gateway;

import io.discs.platform.Caller;
import io.discs.platform.error.DomainErrors;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** Reads what a request carries, turning anything malformed into a 400 instead of an exception. */
final class Requests {
  private Requests() {
  }

  /**
   * The caller of this request. Until the gateway security issue lands there is no token check and
   * every caller is treated as an administrator; the audit log still records the address.
   */
  static Caller caller(RoutingContext ctx) {
    return new Caller("anonymous", List.of("admin"), ctx.request().remoteAddress().hostAddress());
  }

  static int intParam(RoutingContext ctx, String name, int defaultValue, int min, int max) {
    String text = ctx.request().getParam(name);
    if (text == null || text.isEmpty()) {
      return defaultValue;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw DomainErrors.badRequest("query parameter '" + name + "' must be a whole number from " + min + " to " + max);
  }

  static JsonObject jsonBody(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        throw DomainErrors.badRequest("a JSON object body is required");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      throw DomainErrors.badRequest("the body is not a JSON object");
    }
  }
}
