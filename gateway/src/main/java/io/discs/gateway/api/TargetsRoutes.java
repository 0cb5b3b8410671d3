package io.discs.gateway.api;

import io.discs.gateway.Operation;
import io.discs.gateway.Requests;
import io.discs.gateway.auth.AccessControl;
import io.discs.platform.error.HttpStatus;
import io.discs.platform.targets.TargetRequest;
import io.discs.platform.targets.TargetService;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** Targets made by operators: create, list, one, delete. */
public final class TargetsRoutes implements ResourceRoutes {
  private final TargetService targets;

  public TargetsRoutes(TargetService targets) {
    this.targets = targets;
  }

  @Override
  public void addTo(Map<Operation, Handler<RoutingContext>> handlers) {
    handlers.put(Operation.CREATE_TARGET, this::create);
    handlers.put(Operation.LIST_TARGETS, this::list);
    handlers.put(Operation.GET_TARGET, this::get);
    handlers.put(Operation.DELETE_TARGET, this::delete);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = Requests.jsonBody(ctx);
    TargetRequest request =
        TargetRequest.of(
            Requests.optionalString(body, "imageId"),
            Requests.optionalString(body, "initiatorIqn"),
            Requests.optionalString(body, "deviceType"),
            Requests.optionalBoolean(body, "mutualChap"));
    Responses.json(
        ctx,
        HttpStatus.CREATED,
        targets.create(request, AccessControl.caller(ctx)).map(t -> t.toJson()));
  }

  private void list(RoutingContext ctx) {
    Responses.json(ctx, HttpStatus.OK, targets.list().map(Responses.items(t -> t.toJson())));
  }

  private void get(RoutingContext ctx) {
    Responses.json(ctx, HttpStatus.OK, targets.get(ctx.pathParam("id")).map(t -> t.toJson()));
  }

  private void delete(RoutingContext ctx) {
    Responses.noContent(ctx, targets.delete(ctx.pathParam("id"), AccessControl.caller(ctx)));
  }
}
