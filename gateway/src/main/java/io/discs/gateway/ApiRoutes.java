package io.discs.gateway;

import io.discs.gateway.api.AuditRoutes;
import io.discs.gateway.api.DrivesRoutes;
import io.discs.gateway.api.ImagesRoutes;
import io.discs.gateway.api.NodesRoutes;
import io.discs.gateway.api.SessionsRoutes;
import io.discs.gateway.api.TargetsRoutes;
import io.discs.gateway.auth.AccessControl;
import io.discs.gateway.auth.AuthRoutes;
import io.discs.gateway.images.ImageRoutes;
import io.discs.gateway.images.ResumableRoutes;
import io.discs.platform.Addresses;
import io.discs.platform.audit.AuditService;
import io.discs.platform.cluster.MemberCredentials;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.error.HttpStatus;
import io.discs.platform.images.ImageService;
import io.discs.platform.sessions.SessionService;
import io.discs.platform.targets.NodePresence;
import io.discs.platform.targets.TargetNodes;
import io.discs.platform.targets.TargetService;
import io.discs.transfer.remote.ListenerDirectory;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import io.vertx.serviceproxy.ServiceProxyBuilder;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The route table made real: for every {@link Operation}, its body handling and deadline, the
 * permission check, then the handler its resource's routes class gives.
 */
final class ApiRoutes {
  static final String BASE = Operation.BASE;
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
  private final TargetNodes targetNodes;

  /** What discovery names: every live target node's portal; this node's own until one is heard. */
  private List<String> portals() {
    List<String> live = targetNodes.live().stream().map(NodePresence::portal).distinct().toList();
    return live.isEmpty() ? List.of(config.targets().portal().toString()) : live;
  }

  /**
   * @param member this process's cluster credentials, or null: then image bytes are not sent to
   *     image nodes on other hosts
   */
  ApiRoutes(
      Vertx vertx,
      DiscsConfig config,
      MemberCredentials member,
      AccessControl access,
      AuthRoutes auth) {
    this.targetNodes =
        TargetNodes.listen(vertx, Duration.ofSeconds(config.sessions().leaseSeconds()));
    this.config = config;
    this.access = access;
    this.auth = auth;
    ServiceProxyBuilder builder =
        new ServiceProxyBuilder(vertx)
            .setOptions(
                new DeliveryOptions()
                    .setSendTimeout(config.deadlines().gatewayToServices().toMillis()));
    this.images = builder.setAddress(Addresses.IMAGE_SERVICE).build(ImageService.class);
    this.targets = builder.setAddress(Addresses.TARGET_SERVICE).build(TargetService.class);
    this.sessions = builder.setAddress(Addresses.SESSION_SERVICE).build(SessionService.class);
    this.audit = builder.setAddress(Addresses.AUDIT_SERVICE).build(AuditService.class);
    this.imageBytes = new ImageRoutes(vertx, config.uploads().idleSeconds(), member);
    this.resumable =
        new ResumableRoutes(
            vertx, config.uploads().idleSeconds(), config.uploads().maxImageBytes(), member);
  }

  /** The Redfish service over people's drives ({@code /redfish}). */
  Router redfish(Vertx vertx) {
    return new io.discs.gateway.redfish.RedfishRoutes(sessions, images, access).router(vertx);
  }

  Router router(Vertx vertx) {
    Map<Operation, Handler<RoutingContext>> handlers = handlers(vertx);
    Router api = Router.router(vertx);
    BodyHandler json = BodyHandler.create(false).setBodyLimit(JSON_BODY_LIMIT);
    TimeoutHandler deadline =
        TimeoutHandler.create(
            config.requestTimeoutSeconds() * 1000L, HttpStatus.SERVICE_UNAVAILABLE);
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

  /** Every resource's routes class puts its operations' handlers in one map. */
  private Map<Operation, Handler<RoutingContext>> handlers(Vertx vertx) {
    Map<Operation, Handler<RoutingContext>> handlers = new EnumMap<>(Operation.class);
    List.of(
            auth,
            new ImagesRoutes(images, sessions),
            imageBytes,
            resumable,
            new TargetsRoutes(targets),
            new SessionsRoutes(sessions, images, this::portals),
            new DrivesRoutes(sessions),
            new AuditRoutes(audit),
            new NodesRoutes(targetNodes, new ListenerDirectory(vertx)))
        .forEach(resource -> resource.addTo(handlers));
    return handlers;
  }
}
