package io.discs.gateway;

import io.discs.gateway.auth.AccessControl;
import io.discs.gateway.auth.AuthRoutes;
import io.discs.gateway.images.ImageRoutes;
import io.discs.gateway.images.ResumableRoutes;
import io.discs.platform.Addresses;
import io.discs.platform.audit.AuditQuery;
import io.discs.platform.audit.AuditService;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.images.ImageService;
import io.discs.platform.sessions.SessionService;
import io.discs.platform.sessions.SessionStartRequest;
import io.discs.platform.targets.TargetRequest;
import io.discs.platform.targets.TargetService;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import io.vertx.serviceproxy.ServiceProxyBuilder;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The handlers of every {@link Operation}, each a thin call through a service proxy. */
final class ApiRoutes {
  static final String BASE = "/api/v1";
  private static final long JSON_BODY_LIMIT = 64 * 1024;

  private final DiscsConfig config;
  private final AccessControl access;
  private final AuthRoutes auth;
  private final ImageService images;
  private final TargetService targets;
  private final SessionService sessions;
  private final AuditService audit;
  private final ImageRoutes imageBytes;
  private final ResumableRoutes resumable;

  ApiRoutes(Vertx vertx, DiscsConfig config, AccessControl access, AuthRoutes auth) {
    this.config = config;
    this.access = access;
    this.auth = auth;
    ServiceProxyBuilder builder =
        new ServiceProxyBuilder(vertx).setOptions(new DeliveryOptions().setSendTimeout(30_000));
    this.images = builder.setAddress(Addresses.IMAGE_SERVICE).build(ImageService.class);
    this.targets = builder.setAddress(Addresses.TARGET_SERVICE).build(TargetService.class);
    this.sessions = builder.setAddress(Addresses.SESSION_SERVICE).build(SessionService.class);
    this.audit = builder.setAddress(Addresses.AUDIT_SERVICE).build(AuditService.class);
    this.imageBytes = new ImageRoutes(vertx, config.uploads().idleSeconds());
    this.resumable =
        new ResumableRoutes(
            vertx, config.uploads().idleSeconds(), config.uploads().maxImageBytes());
  }

  Router router(Vertx vertx) {
    Map<Operation, Handler<RoutingContext>> handlers = handlers();
    Router api = Router.router(vertx);
    BodyHandler json = BodyHandler.create(false).setBodyLimit(JSON_BODY_LIMIT);
    TimeoutHandler deadline = TimeoutHandler.create(config.requestTimeoutSeconds() * 1000L, 503);
    api.route().handler(Requests::refuseControlCharactersInQuery);
    api.route("/uploads*").handler(ResumableRoutes::protocol);
    for (Operation operation : Operation.values()) {
      Handler<RoutingContext> handler = handlers.get(operation);
      if (handler == null) {
        throw new IllegalStateException("no handler for " + operation);
      }
      Route route = api.route(operation.method(), operation.path());
      switch (operation.body()) {
        case NONE -> route.handler(deadline);
        // vertx-web wants body handling before any user handler; the limit keeps it cheap.
        case JSON -> route.handler(deadline).handler(json);
        // Streams have no deadline: a DVD over an office link takes many minutes. An upload
        // that stops sending is closed by its idle watch instead (ImageRoutes).
        case STREAM_IN -> route.handler(ImageRoutes::holdBody);
        case STREAM_OUT -> {}
      }
      route.handler(access.require(operation.permission())).handler(handler);
    }
    return api;
  }

  private Map<Operation, Handler<RoutingContext>> handlers() {
    Map<Operation, Handler<RoutingContext>> h = new EnumMap<>(Operation.class);
    h.put(Operation.ISSUE_TOKEN, ctx -> auth.issueToken(ctx, Requests.jsonBody(ctx)));
    h.put(Operation.LOGOUT, auth::logout);
    h.put(Operation.LIST_USERS, auth::listUsers);
    h.put(Operation.CREATE_USER, ctx -> auth.createUser(ctx, Requests.jsonBody(ctx)));
    h.put(Operation.DELETE_USER, auth::deleteUser);
    h.put(
        Operation.CHANGE_OWN_PASSWORD, ctx -> auth.changeOwnPassword(ctx, Requests.jsonBody(ctx)));

    h.put(
        Operation.LIST_IMAGES,
        ctx ->
            respond(
                ctx,
                200,
                images
                    .list(
                        ctx.request().getParam("name"),
                        Requests.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE),
                        Requests.intParam(ctx, "limit", 100, 1, ImageService.MAX_PAGE))
                    .map(items(i -> i.toJson()))));
    h.put(Operation.UPLOAD_IMAGE, imageBytes::upload);
    h.put(
        Operation.GET_IMAGE,
        ctx -> respond(ctx, 200, images.get(ctx.pathParam("id")).map(i -> i.toJson())));
    h.put(
        Operation.DELETE_IMAGE,
        ctx -> noContent(ctx, images.delete(ctx.pathParam("id"), caller(ctx))));
    h.put(Operation.GET_IMAGE_CONTENT, imageBytes::content);
    h.put(Operation.HEAD_IMAGE_CONTENT, imageBytes::content);

    h.put(Operation.UPLOAD_OPTIONS, resumable::options);
    h.put(Operation.CREATE_UPLOAD, resumable::create);
    h.put(Operation.GET_UPLOAD, resumable::get);
    h.put(Operation.HEAD_UPLOAD, resumable::head);
    h.put(Operation.APPEND_UPLOAD, resumable::append);
    h.put(Operation.DELETE_UPLOAD, resumable::terminate);

    h.put(
        Operation.CREATE_TARGET,
        ctx ->
            respond(
                ctx,
                201,
                targets
                    .create(new TargetRequest(Requests.jsonBody(ctx)), caller(ctx))
                    .map(t -> t.toJson())));
    h.put(
        Operation.LIST_TARGETS,
        ctx -> respond(ctx, 200, targets.list().map(items(t -> t.toJson()))));
    h.put(
        Operation.GET_TARGET,
        ctx -> respond(ctx, 200, targets.get(ctx.pathParam("id")).map(t -> t.toJson())));
    h.put(
        Operation.DELETE_TARGET,
        ctx -> noContent(ctx, targets.delete(ctx.pathParam("id"), caller(ctx))));

    h.put(
        Operation.DISCOVERY,
        ctx ->
            respond(
                ctx,
                200,
                images
                    .list(null, 0, ImageService.MAX_PAGE)
                    .map(
                        list ->
                            new JsonObject()
                                .put(
                                    "portals", new JsonArray().add(config.iscsiPortal().toString()))
                                .put(
                                    "images",
                                    new JsonArray(list.stream().map(i -> i.toJson()).toList())))));
    h.put(
        Operation.START_SESSION,
        ctx -> {
          JsonObject body = Requests.jsonBody(ctx);
          respond(
              ctx,
              201,
              sessions
                  .start(
                      SessionStartRequest.of(
                          Requests.optionalString(body, "imageId"),
                          Requests.optionalString(body, "initiatorIqn"),
                          Requests.optionalString(body, "deviceType")),
                      caller(ctx))
                  .map(s -> s.toJson()));
        });
    h.put(
        Operation.LIST_SESSIONS,
        ctx -> respond(ctx, 200, sessions.list(caller(ctx)).map(items(s -> s.toJson()))));
    h.put(
        Operation.HEARTBEAT,
        ctx ->
            respond(
                ctx,
                200,
                sessions.heartbeat(ctx.pathParam("id"), caller(ctx)).map(s -> s.toJson())));
    h.put(
        Operation.END_SESSION,
        ctx -> noContent(ctx, sessions.end(ctx.pathParam("id"), caller(ctx))));

    h.put(
        Operation.QUERY_AUDIT,
        ctx -> respond(ctx, 200, audit.query(auditQuery(ctx)).map(items(e -> e.toJson()))));
    h.put(Operation.VERIFY_AUDIT, ctx -> respond(ctx, 200, audit.verify().map(v -> v.toJson())));
    return h;
  }

  private static io.discs.platform.Caller caller(RoutingContext ctx) {
    return AccessControl.caller(ctx);
  }

  private static AuditQuery auditQuery(RoutingContext ctx) {
    String since = ctx.request().getParam("since");
    Instant sinceInstant;
    try {
      sinceInstant = since == null || since.isEmpty() ? null : Instant.parse(since);
    } catch (DateTimeParseException e) {
      throw DomainErrors.badRequest(
          "query parameter 'since' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
    }
    int limit = Requests.intParam(ctx, "limit", AuditQuery.DEFAULT_LIMIT, 1, AuditQuery.MAX_LIMIT);
    Integer before =
        ctx.request().getParam("before") == null
            ? null
            : Requests.intParam(ctx, "before", 0, 1, Integer.MAX_VALUE);
    return AuditQuery.of(
        ctx.request().getParam("actor"),
        ctx.request().getParam("type"),
        sinceInstant,
        before == null ? null : before.longValue(),
        limit);
  }

  private static <T> Function<List<T>, JsonObject> items(Function<T, JsonObject> toJson) {
    return list -> new JsonObject().put("items", new JsonArray(list.stream().map(toJson).toList()));
  }

  private static void respond(RoutingContext ctx, int status, Future<JsonObject> result) {
    result
        .onSuccess(
            body ->
                ctx.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .end(body.encode()))
        .onFailure(ctx::fail);
  }

  private static void noContent(RoutingContext ctx, Future<Void> result) {
    result.onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }
}
