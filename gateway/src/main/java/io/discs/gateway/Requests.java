package io.discs.gateway;

import io.discs.platform.error.DomainErrors;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reads what a request carries, turning anything malformed into a 400 instead of an exception. */
public final class Requests {
  private Requests() {}

  /**
   * First on every API route: query parameters holding NUL or other control characters are refused
   * (400) before they can reach a query (PostgreSQL refuses NUL in text with an error).
   */
  public static void refuseControlCharactersInQuery(RoutingContext ctx) {
    for (var param : ctx.queryParams()) {
      if (param.getValue().chars().anyMatch(Character::isISOControl)) {
        ctx.fail(
            io.discs.platform.error.DomainErrors.badRequest(
                "query parameter '" + param.getKey() + "' holds a control character"));
        return;
      }
    }
    ctx.next();
  }

  public static int intParam(RoutingContext ctx, String name, int defaultValue, int min, int max) {
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
    throw DomainErrors.badRequest(
        "query parameter '" + name + "' must be a whole number from " + min + " to " + max);
  }

  public static JsonObject jsonBody(RoutingContext ctx) {
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

  /** A field that must be a string when present. */
  public static String optionalString(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw DomainErrors.badRequest("'" + field + "' must be a string");
    }
    return (String) value;
  }

  /** A field that must be true or false when present; false when absent. */
  public static boolean optionalBoolean(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value != null && !(value instanceof Boolean)) {
      throw DomainErrors.badRequest("'" + field + "' must be true or false");
    }
    return Boolean.TRUE.equals(value);
  }
}
