package io.discs.gateway;

import io.discs.platform.Addresses;
import io.discs.platform.audit.AuditQuery;
import io.discs.platform.audit.AuditService;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.image.ImageService;
import io.discs.platform.session.SessionService;
import io.discs.platform.target.TargetRequest;
import io.discs.platform.target.TargetService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.serviceproxy.ServiceProxyBuilder;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Function;

/** The {@code /api/v1} routes of API.md, each a thin call through a service proxy. */
final class ApiRoutes {
  static final String BASE = "/api/v1";
  private static final long JSON_BODY_LIMIT = 64 * 1024;

  private final DiscsConfig config;
  private final ImageService images;
  private final TargetService targets;
  private final SessionService sessions;
  private final AuditService audit;

  ApiRoutes(Vertx vertx, DiscsConfig config) {
    this.config = config;
    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(30_000);
    ServiceProxyBuilder builder = new ServiceProxyBuilder(vertx).setOptions(delivery);
    this.images = builder.setAddress(Addresses.IMAGE_SERVICE).build(ImageService.class);
    this.targets = builder.setAddress(Addresses.TARGET_SERVICE).build(TargetService.class);
    this.sessions = builder.setAddress(Addresses.SESSION_SERVICE).build(SessionService.class);
    this.audit = builder.setAddress(Addresses.AUDIT_SERVICE).build(AuditService.class);
  }

  Router router(Vertx vertx) {
    Router api = Router.router(vertx);
    BodyHandler json = BodyHandler.create(false).setBodyLimit(JSON_BODY_LIMIT);

    api.post("/auth/token").handler(ctx -> ctx.fail(DomainErrors.notImplemented("token issue")));
    api.post("/users").handler(ctx -> ctx.fail(DomainErrors.notImplemented("user management")));
    api.get("/users").handler(ctx -> ctx.fail(DomainErrors.notImplemented("user management")));
    api.delete("/users/:name").handler(ctx -> ctx.fail(DomainErrors.notImplemented("user management")));

    api.post("/images").handler(ctx -> ctx.fail(DomainErrors.notImplemented("image upload")));
    api.get("/images").handler(ctx -> respond(ctx, 200, images.list(ctx.request().getParam("name"),
        Requests.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE),
        Requests.intParam(ctx, "limit", 100, 1, ImageService.MAX_PAGE)).map(items(i -> i.toJson()))));
    api.get("/images/:id").handler(ctx -> respond(ctx, 200, images.get(ctx.pathParam("id")).map(i -> i.toJson())));
    api.delete("/images/:id").handler(ctx -> noContent(ctx, images.delete(ctx.pathParam("id"),
        Requests.caller(ctx))));
    api.get("/images/:id/content").handler(ctx -> ctx.fail(DomainErrors.notImplemented("image download")));

    api.post("/targets").handler(json).handler(ctx -> respond(ctx, 201,
        targets.create(new TargetRequest(Requests.jsonBody(ctx)), Requests.caller(ctx)).map(t -> t.toJson())));
    api.get("/targets").handler(ctx -> respond(ctx, 200, targets.list().map(items(t -> t.toJson()))));
    api.get("/targets/:id").handler(ctx -> respond(ctx, 200, targets.get(ctx.pathParam("id")).map(t -> t.toJson())));
    api.delete("/targets/:id").handler(ctx -> noContent(ctx, targets.delete(ctx.pathParam("id"),
        Requests.caller(ctx))));

    api.get("/discovery").handler(ctx -> respond(ctx, 200, images.list(null, 0, ImageService.MAX_PAGE)
        .map(list -> new JsonObject()
            .put("portals", new JsonArray().add(config.iscsiPortal().toString()))
            .put("images", new JsonArray(list.stream().map(i -> i.toJson()).toList())))));

    api.post("/sessions").handler(json).handler(ctx -> {
      JsonObject body = Requests.jsonBody(ctx);
      respond(ctx, 201, sessions.start(body.getString("imageId"), body.getString("initiatorIqn"),
          body.getString("deviceType"), Requests.caller(ctx)).map(s -> s.toJson()));
    });
    api.get("/sessions").handler(ctx -> respond(ctx, 200,
        sessions.list(Requests.caller(ctx)).map(items(s -> s.toJson()))));
    api.post("/sessions/:id/heartbeat").handler(ctx -> respond(ctx, 200,
        sessions.heartbeat(ctx.pathParam("id"), Requests.caller(ctx)).map(s -> s.toJson())));
    api.delete("/sessions/:id").handler(ctx -> noContent(ctx, sessions.end(ctx.pathParam("id"),
        Requests.caller(ctx))));

    api.get("/audit").handler(ctx -> respond(ctx, 200, audit.query(auditQuery(ctx)).map(items(e -> e.toJson()))));
    return api;
  }

  private static AuditQuery auditQuery(RoutingContext ctx) {
    String since = ctx.request().getParam("since");
    Instant sinceInstant;
    try {
      sinceInstant = since == null || since.isEmpty() ? null : Instant.parse(since);
    } catch (DateTimeParseException e) {
      throw DomainErrors.badRequest("query parameter 'since' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
    }
    int limit = Requests.intParam(ctx, "limit", AuditQuery.DEFAULT_LIMIT, 1, AuditQuery.MAX_LIMIT);
    return AuditQuery.of(ctx.request().getParam("actor"), ctx.request().getParam("type"), sinceInstant, null, limit);
  }

  private static <T> Function<List<T>, JsonObject> items(Function<T, JsonObject> toJson) {
    return list -> new JsonObject().put("items", new JsonArray(list.stream().map(toJson).toList()));
  }

  private static void respond(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onSuccess(body -> ctx.response().setStatusCode(status)
            .putHeader("Content-Type", "application/json")
            .end(body.encode()))
        .onFailure(ctx::fail);
  }

  private static void noContent(RoutingContext ctx, Future<Void> result) {
    result.onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }
}
