package io.discs.gateway.api;

import io.discs.platform.error.HttpStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Function;

/** How a service's answer becomes an HTTP answer: JSON, a list of items, or nothing. */
public final class Responses {
  private Responses() {}

  public static void json(RoutingContext ctx, int status, Future<JsonObject> result) {
    result
        .onSuccess(
            body ->
                ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(body.encode()))
        .onFailure(ctx::fail);
  }

  public static void noContent(RoutingContext ctx, Future<Void> result) {
    result
        .onSuccess(v -> ctx.response().setStatusCode(HttpStatus.NO_CONTENT).end())
        .onFailure(ctx::fail);
  }

  /** {@code {"items": [...]}}, the shape of every list. */
  public static <T> Function<List<T>, JsonObject> items(Function<T, JsonObject> toJson) {
    return list -> new JsonObject().put("items", new JsonArray(list.stream().map(toJson).toList()));
  }
}
