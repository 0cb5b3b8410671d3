package io.discs.gateway.api;

import io.discs.gateway.Operation;
import io.discs.gateway.Requests;
import io.discs.gateway.auth.AccessControl;
import io.discs.platform.error.HttpStatus;
import io.discs.platform.images.ImageService;
import io.discs.platform.sessions.SessionService;
import io.discs.platform.sessions.SessionStartRequest;
import io.discs.platform.sessions.SessionState;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** What people mount: discovery, and their sessions (start, list, heartbeat, end). */
public final class SessionsRoutes implements ResourceRoutes {
  private final SessionService sessions;
  private final ImageService images;
  private final Supplier<List<String>> portals;

  /**
   * @param portals the portals of the target nodes heard from, or this node's configured one
   */
  public SessionsRoutes(
      SessionService sessions, ImageService images, Supplier<List<String>> portals) {
    this.sessions = sessions;
    this.images = images;
    this.portals = portals;
  }

  @Override
  public void addTo(Map<Operation, Handler<RoutingContext>> handlers) {
    handlers.put(Operation.DISCOVERY, this::discovery);
    handlers.put(Operation.START_SESSION, this::start);
    handlers.put(Operation.LIST_SESSIONS, this::list);
    handlers.put(Operation.GET_SESSION, this::get);
    handlers.put(Operation.HEARTBEAT, this::heartbeat);
    handlers.put(Operation.END_SESSION, this::end);
  }

  private void discovery(RoutingContext ctx) {
    Responses.json(
        ctx,
        HttpStatus.OK,
        images
            .list(null, 0, ImageService.MAX_PAGE)
            .map(
                list ->
                    new JsonObject()
                        .put("portals", new JsonArray(portals.get()))
                        .put(
                            "images", new JsonArray(list.stream().map(i -> i.toJson()).toList()))));
  }

  /**
   * With {@code Prefer: respond-async} (RFC 7240) the answer comes within a second: 202 with the
   * session PREPARING and where to follow it while its node fetches the image, or 201 when the
   * target was made by then; without, 201 once the target is made, as before.
   */
  private void start(RoutingContext ctx) {
    JsonObject body = Requests.jsonBody(ctx);
    boolean async = prefersAsync(ctx.request().headers().getAll("Prefer"));
    sessions
        .start(
            SessionStartRequest.of(
                    Requests.optionalString(body, "imageId"),
                    Requests.optionalString(body, "initiatorIqn"),
                    Requests.optionalString(body, "deviceType"))
                .setNode(Requests.optionalString(body, "node"))
                .setRespondAsync(async),
            AccessControl.caller(ctx))
        .onSuccess(
            session -> {
              if (session.getState() == SessionState.PREPARING) {
                ctx.response()
                    .putHeader("Preference-Applied", RESPOND_ASYNC)
                    .putHeader("Location", Operation.BASE + "/sessions/" + session.getId());
              }
              ctx.response()
                  .setStatusCode(
                      session.getState() == SessionState.PREPARING
                          ? HttpStatus.ACCEPTED
                          : HttpStatus.CREATED)
                  .putHeader("Content-Type", "application/json")
                  .end(session.toJson().encode());
            })
        .onFailure(ctx::fail);
  }

  private static final String RESPOND_ASYNC = "respond-async";

  /** Whether one of the Prefer headers asks for {@code respond-async} (among other preferences). */
  static boolean prefersAsync(List<String> prefer) {
    for (String header : prefer) {
      for (String preference : header.split(",")) {
        String name = preference.split(";", 2)[0].trim();
        if (name.equalsIgnoreCase(RESPOND_ASYNC)) {
          return true;
        }
      }
    }
    return false;
  }

  private void get(RoutingContext ctx) {
    Responses.json(
        ctx,
        HttpStatus.OK,
        sessions.get(ctx.pathParam("id"), AccessControl.caller(ctx)).map(s -> s.toJson()));
  }

  /** Newest first; {@code state}, {@code offset} and {@code limit} page it like images. */
  private void list(RoutingContext ctx) {
    Responses.json(
        ctx,
        HttpStatus.OK,
        sessions
            .page(
                state(ctx.request().getParam("state")),
                Requests.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE),
                Requests.intParam(
                    ctx, "limit", SessionService.MAX_PAGE, 1, SessionService.MAX_PAGE),
                AccessControl.caller(ctx))
            .map(Responses.items(s -> s.toJson())));
  }

  private static SessionState state(String name) {
    if (name == null) {
      return null;
    }
    for (SessionState state : SessionState.values()) {
      if (state.name().equalsIgnoreCase(name)) {
        return state;
      }
    }
    throw io.discs.platform.error.DomainErrors.badRequest(
        "state must be one of " + java.util.Arrays.toString(SessionState.values()));
  }

  private void heartbeat(RoutingContext ctx) {
    Responses.json(
        ctx,
        HttpStatus.OK,
        sessions.heartbeat(ctx.pathParam("id"), AccessControl.caller(ctx)).map(s -> s.toJson()));
  }

  private void end(RoutingContext ctx) {
    Responses.noContent(ctx, sessions.end(ctx.pathParam("id"), AccessControl.caller(ctx)));
  }
}
