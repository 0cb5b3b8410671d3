package io.discs.gateway.api;

import io.discs.gateway.Operation;
import io.discs.gateway.Requests;
import io.discs.gateway.auth.AccessControl;
import io.discs.platform.Caller;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.error.HttpStatus;
import io.discs.platform.sessions.Session;
import io.discs.platform.sessions.SessionService;
import io.discs.platform.sessions.SessionStartRequest;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * People's virtual drives: one iSCSI target each, kept by heartbeats like a mount, whose disc is
 * inserted and ejected while the initiator stays logged in. A drive is a session of the drive kind
 * (session-service); what is in it is its target's to say (target-service).
 */
public final class DrivesRoutes implements ResourceRoutes {
  private final SessionService sessions;

  public DrivesRoutes(SessionService sessions) {
    this.sessions = sessions;
  }

  @Override
  public void addTo(Map<Operation, Handler<RoutingContext>> handlers) {
    handlers.put(Operation.CREATE_DRIVE, this::create);
    handlers.put(Operation.LIST_DRIVES, this::list);
    handlers.put(Operation.GET_DRIVE, this::get);
    handlers.put(Operation.DRIVE_HEARTBEAT, this::heartbeat);
    handlers.put(Operation.INSERT_DISC, this::insert);
    handlers.put(Operation.EJECT_DISC, this::eject);
    handlers.put(Operation.DELETE_DRIVE, this::delete);
  }

  /** A drive as the API shows it: its session's fields, and whether a disc is in. */
  static JsonObject view(Session drive) {
    JsonObject json = drive.toJson();
    json.remove("drive");
    return json.put("inserted", drive.getImageId() != null);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = Requests.jsonBody(ctx);
    sessions
        .start(
            SessionStartRequest.of(
                    Requests.optionalString(body, "imageId"),
                    Requests.optionalString(body, "initiatorIqn"),
                    null)
                .setNode(Requests.optionalString(body, "node"))
                .setDrive(true),
            AccessControl.caller(ctx))
        .onSuccess(
            drive ->
                ctx.response()
                    .setStatusCode(HttpStatus.CREATED)
                    .putHeader("Location", Operation.GET_DRIVE.at(drive.getId()))
                    .putHeader("Content-Type", "application/json")
                    .end(view(drive).encode()))
        .onFailure(ctx::fail);
  }

  private void list(RoutingContext ctx) {
    Responses.json(
        ctx,
        HttpStatus.OK,
        sessions.drives(AccessControl.caller(ctx)).map(Responses.items(DrivesRoutes::view)));
  }

  private void get(RoutingContext ctx) {
    Responses.json(ctx, HttpStatus.OK, drive(ctx).map(DrivesRoutes::view));
  }

  private void heartbeat(RoutingContext ctx) {
    Responses.json(
        ctx,
        HttpStatus.OK,
        sessions.heartbeat(ctx.pathParam("id"), AccessControl.caller(ctx)).map(s -> s.toJson()));
  }

  private void insert(RoutingContext ctx) {
    String imageId = Requests.optionalString(Requests.jsonBody(ctx), "imageId");
    if (imageId == null) {
      throw DomainErrors.badRequest("'imageId' names the image to insert");
    }
    Responses.json(
        ctx,
        HttpStatus.OK,
        sessions
            .insert(ctx.pathParam("id"), imageId, AccessControl.caller(ctx))
            .map(DrivesRoutes::view));
  }

  /** The body is optional: {@code {"force": true}} takes a disc the initiator locks in. */
  private void eject(RoutingContext ctx) {
    boolean force =
        !ctx.body().isEmpty() && Requests.optionalBoolean(Requests.jsonBody(ctx), "force");
    Responses.json(
        ctx,
        HttpStatus.OK,
        sessions
            .eject(ctx.pathParam("id"), force, AccessControl.caller(ctx))
            .map(DrivesRoutes::view));
  }

  private void delete(RoutingContext ctx) {
    Caller caller = AccessControl.caller(ctx);
    Responses.noContent(ctx, drive(ctx).compose(found -> sessions.end(found.getId(), caller)));
  }

  /** The session named in the path, if it is a drive (a mount is not found here). */
  private Future<Session> drive(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return sessions
        .get(id, AccessControl.caller(ctx))
        .compose(
            found ->
                found.isDrive()
                    ? Future.succeededFuture(found)
                    : Future.failedFuture(DomainErrors.notFound("no drive " + id)));
  }
}
