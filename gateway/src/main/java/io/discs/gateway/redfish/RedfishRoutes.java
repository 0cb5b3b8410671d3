package io.discs.gateway.redfish;

import io.discs.gateway.auth.AccessControl;
import io.discs.gateway.auth.Permission;
import io.discs.platform.Caller;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.error.HttpStatus;
import io.discs.platform.error.Problem;
import io.discs.platform.images.ImageService;
import io.discs.platform.sessions.Session;
import io.discs.platform.sessions.SessionService;
import io.discs.platform.sessions.SessionState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal Redfish service over people's drives, so that provisioning tools that speak BMC virtual
 * media (Ironic, Metal3, scripts) can drive them: one manager, {@code discs}, whose VirtualMedia
 * collection holds the caller's active drives, with the {@code InsertMedia} and {@code EjectMedia}
 * actions. Authenticated like the API (a bearer token, or the same token in Redfish's {@code
 * X-Auth-Token}); only the service root answers without one, as Redfish asks. {@code Image} names a
 * library image by id or by its discs API URL: nothing is ever fetched from a URL.
 */
public final class RedfishRoutes {
  static final String ROOT = "/redfish/v1";
  static final String MANAGER = ROOT + "/Managers/discs";
  static final String MEDIA = MANAGER + "/VirtualMedia";
  private static final String INSERT = "/Actions/VirtualMedia.InsertMedia";
  private static final String EJECT = "/Actions/VirtualMedia.EjectMedia";
  private static final String ODATA_ID = "@odata.id";
  private static final String ODATA_TYPE = "@odata.type";

  /** A library image as an InsertMedia Image: its id, or a discs API URL ending in it. */
  private static final Pattern IMAGE =
      Pattern.compile(
          "^(?:(?:https?://[^/]+)?/api/v1/images/)?"
              + "([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
              + "(?:/content)?$");

  private final SessionService sessions;
  private final ImageService images;
  private final AccessControl access;

  public RedfishRoutes(SessionService sessions, ImageService images, AccessControl access) {
    this.sessions = sessions;
    this.images = images;
    this.access = access;
  }

  /**
   * The routes under {@code /redfish}, with their own error bodies (Redfish's, not problem+json).
   */
  public Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/").handler(ctx -> json(ctx, new JsonObject().put("v1", ROOT + "/")));
    router.get("/v1").handler(this::serviceRoot);
    router.get("/v1/").handler(this::serviceRoot);
    router.route("/v1/*").handler(RedfishRoutes::tokenFromRedfishHeader);
    router.route("/v1/*").handler(access.require(Permission.SESSIONS));
    router.get("/v1/Managers").handler(this::managers);
    router.get("/v1/Managers/discs").handler(this::manager);
    router.get("/v1/Managers/discs/VirtualMedia").handler(this::collection);
    router.get("/v1/Managers/discs/VirtualMedia/:id").handler(this::media);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(16 * 1024);
    router.post("/v1/Managers/discs/VirtualMedia/:id" + INSERT).handler(body).handler(this::insert);
    router.post("/v1/Managers/discs/VirtualMedia/:id" + EJECT).handler(body).handler(this::eject);
    router.route().failureHandler(RedfishRoutes::error);
    router.route().last().handler(ctx -> ctx.fail(DomainErrors.notFound("no such resource")));
    return router;
  }

  /** Redfish clients send a session token as {@code X-Auth-Token}: the same bearer token here. */
  private static void tokenFromRedfishHeader(RoutingContext ctx) {
    String token = ctx.request().getHeader("X-Auth-Token");
    if (token != null && ctx.request().getHeader("Authorization") == null) {
      ctx.request().headers().set("Authorization", "Bearer " + token);
    }
    ctx.next();
  }

  private void serviceRoot(RoutingContext ctx) {
    json(
        ctx,
        resource(ROOT, "#ServiceRoot.v1_5_0.ServiceRoot", "RootService", "discs")
            .put("RedfishVersion", "1.6.0")
            .put("Managers", link(ROOT + "/Managers")));
  }

  private void managers(RoutingContext ctx) {
    json(
        ctx,
        new JsonObject()
            .put(ODATA_ID, ROOT + "/Managers")
            .put(ODATA_TYPE, "#ManagerCollection.ManagerCollection")
            .put("Name", "Managers")
            .put("Members", new JsonArray().add(link(MANAGER)))
            .put("Members@odata.count", 1));
  }

  private void manager(RoutingContext ctx) {
    json(
        ctx,
        resource(MANAGER, "#Manager.v1_10_0.Manager", "discs", "discs drives")
            .put("ManagerType", "Service")
            .put("VirtualMedia", link(MEDIA)));
  }

  private void collection(RoutingContext ctx) {
    sessions
        .drives(AccessControl.caller(ctx))
        .onSuccess(
            drives -> {
              List<JsonObject> members =
                  drives.stream()
                      .filter(d -> d.getState() == SessionState.ACTIVE)
                      .map(d -> link(MEDIA + "/" + d.getId()))
                      .toList();
              json(
                  ctx,
                  new JsonObject()
                      .put(ODATA_ID, MEDIA)
                      .put(ODATA_TYPE, "#VirtualMediaCollection.VirtualMediaCollection")
                      .put("Name", "Virtual Media")
                      .put("Members", new JsonArray(members))
                      .put("Members@odata.count", members.size()));
            })
        .onFailure(ctx::fail);
  }

  private void media(RoutingContext ctx) {
    activeDrive(ctx)
        .compose(this::virtualMedia)
        .onSuccess(resource -> json(ctx, resource))
        .onFailure(ctx::fail);
  }

  /**
   * Redfish asks a service to refuse an insert while media is in (eject first): discs' own API
   * swaps in one call, this follows the standard.
   */
  private void insert(RoutingContext ctx) {
    JsonObject body = body(ctx);
    Object image = body.getValue("Image");
    if (!(image instanceof String text)) {
      throw DomainErrors.badRequest("Image is required: a library image's id or its URL");
    }
    Matcher id = IMAGE.matcher(text.strip());
    if (!id.matches()) {
      throw DomainErrors.badRequest(
          "Image must name a library image, by id or as /api/v1/images/{id}: discs fetches no URL");
    }
    if (Boolean.FALSE.equals(body.getValue("WriteProtected"))) {
      throw DomainErrors.badRequest("discs serves discs read-only: WriteProtected cannot be false");
    }
    if (Boolean.FALSE.equals(body.getValue("Inserted"))) {
      throw DomainErrors.badRequest("an image attached but not inserted is not offered");
    }
    Caller caller = AccessControl.caller(ctx);
    activeDrive(ctx)
        .compose(
            drive ->
                drive.getImageId() != null
                    ? Future.failedFuture(
                        DomainErrors.conflict("media is inserted: eject it first (EjectMedia)"))
                    : sessions.insert(drive.getId(), id.group(1).toLowerCase(), caller))
        .onSuccess(done -> ctx.response().setStatusCode(HttpStatus.NO_CONTENT).end())
        .onFailure(ctx::fail);
  }

  private void eject(RoutingContext ctx) {
    Caller caller = AccessControl.caller(ctx);
    activeDrive(ctx)
        .compose(drive -> sessions.eject(drive.getId(), false, caller))
        .onSuccess(done -> ctx.response().setStatusCode(HttpStatus.NO_CONTENT).end())
        .onFailure(ctx::fail);
  }

  private Future<Session> activeDrive(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return sessions
        .get(id, AccessControl.caller(ctx))
        .compose(
            drive ->
                drive.isDrive() && drive.getState() == SessionState.ACTIVE
                    ? Future.succeededFuture(drive)
                    : Future.failedFuture(DomainErrors.notFound("no virtual media " + id)));
  }

  /** The VirtualMedia resource (schema VirtualMedia.v1_6_5) of one drive. */
  private Future<JsonObject> virtualMedia(Session drive) {
    String at = MEDIA + "/" + drive.getId();
    Future<String> name =
        drive.getImageId() == null
            ? Future.succeededFuture(null)
            : images.get(drive.getImageId()).map(image -> image.getName());
    return name.map(
        imageName ->
            resource(at, "#VirtualMedia.v1_6_5.VirtualMedia", drive.getId(), "Virtual CD/DVD")
                .put(
                    "Image",
                    drive.getImageId() == null ? null : "/api/v1/images/" + drive.getImageId())
                .put("ImageName", imageName)
                .put("Inserted", drive.getImageId() != null)
                .put("WriteProtected", true)
                .put("MediaTypes", new JsonArray().add("CD").add("DVD"))
                .put("ConnectedVia", drive.getImageId() == null ? "NotConnected" : "URI")
                .put(
                    "Actions",
                    new JsonObject()
                        .put(
                            "#VirtualMedia.InsertMedia",
                            new JsonObject().put("target", at + INSERT))
                        .put(
                            "#VirtualMedia.EjectMedia",
                            new JsonObject().put("target", at + EJECT))));
  }

  private static JsonObject body(RoutingContext ctx) {
    if (ctx.body().isEmpty()) {
      return new JsonObject();
    }
    try {
      JsonObject body = ctx.body().asJsonObject();
      return body == null ? new JsonObject() : body;
    } catch (DecodeException | ClassCastException e) {
      throw DomainErrors.badRequest("the body is not a JSON object");
    }
  }

  private static JsonObject resource(String id, String type, String name, String title) {
    return new JsonObject()
        .put(ODATA_ID, id)
        .put(ODATA_TYPE, type)
        .put("Id", name)
        .put("Name", title);
  }

  private static JsonObject link(String id) {
    return new JsonObject().put(ODATA_ID, id);
  }

  private static void json(RoutingContext ctx, JsonObject body) {
    ctx.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("OData-Version", "4.0")
        .end(body.encode());
  }

  /**
   * Redfish's error body: {@code {"error": {"code", "message"}}}, with the status the API gives.
   */
  private static void error(RoutingContext ctx) {
    Problem problem =
        ctx.failure() == null
            ? Problem.of(ctx.statusCode() > 0 ? ctx.statusCode() : HttpStatus.INTERNAL_ERROR, "")
            : Problem.from(ctx.failure());
    String code =
        switch (problem.status()) {
          case HttpStatus.BAD_REQUEST -> "Base.1.8.PropertyValueFormatError";
          case HttpStatus.UNAUTHORIZED -> "Base.1.8.NoValidSession";
          case HttpStatus.FORBIDDEN -> "Base.1.8.InsufficientPrivilege";
          case HttpStatus.NOT_FOUND -> "Base.1.8.ResourceMissingAtURI";
          case HttpStatus.CONFLICT -> "Base.1.8.ResourceInUse";
          default -> "Base.1.8.GeneralError";
        };
    ctx.response()
        .setStatusCode(problem.status())
        .putHeader("Content-Type", "application/json")
        .end(
            new JsonObject()
                .put("error", new JsonObject().put("code", code).put("message", problem.detail()))
                .encode());
  }
}
