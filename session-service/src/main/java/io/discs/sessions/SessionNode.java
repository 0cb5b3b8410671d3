package io.discs.sessions;

import io.discs.platform.Addresses;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.images.ImageService;
import io.discs.platform.launch.ServiceContext;
import io.discs.platform.targets.TargetNodes;
import io.discs.platform.targets.TargetService;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.serviceproxy.ServiceProxyBuilder;
import java.time.Duration;

/**
 * What session-service is made of, assembled from its configuration and {@code Clock}: the rows,
 * the leases, the service, its reaper and who it asks. Plain construction: nothing is bound or
 * scheduled until the verticle starts it.
 */
record SessionNode(
    SessionRepository repository,
    TargetNodes nodes,
    SessionServiceImpl service,
    Reaper reaper,
    TargetRemovals removals) {

  static SessionNode assemble(Vertx vertx, ServiceContext services) {
    DiscsConfig config = services.config();
    SessionRepository repository = new SessionRepository(services.pool());
    Leases leases = new Leases(vertx, config.sessions().leaseSeconds(), services.clock());
    long toTargets = config.deadlines().sessionToTargets().toMillis();
    TargetService targets = proxy(vertx, Addresses.TARGET_SERVICE, toTargets, TargetService.class);
    ImageService images = proxy(vertx, Addresses.IMAGE_SERVICE, toTargets, ImageService.class);
    TargetNodes nodes =
        TargetNodes.listen(vertx, Duration.ofSeconds(config.sessions().leaseSeconds()));
    SessionServiceImpl service =
        new SessionServiceImpl(
            repository,
            leases,
            targets,
            new TargetPlacement(
                targets,
                proxy(vertx, Addresses.TARGET_SERVICE, FETCH_MS, TargetService.class),
                nodes,
                name -> nodeService(vertx, name, toTargets),
                // Who is connected: asked of every node, never longer than the gateway waits.
                name -> nodeService(vertx, name, Math.min(5_000, toTargets)),
                name -> nodeService(vertx, name, FETCH_MS)),
            images,
            services.events(),
            new SessionSettings(
                config.sessions().maxPerUser(),
                config.sessions().heartbeatSeconds(),
                config.targets().portal().toString()),
            services.callers());
    Reaper reaper =
        new Reaper(vertx, repository, leases, service, new NodeLosses(repository, nodes, service));
    return new SessionNode(
        repository, nodes, service, reaper, new TargetRemovals(vertx, repository, service));
  }

  private static final long FETCH_MS = SessionServiceImpl.PREPARATION_LIMIT.toMillis();

  /** A target node's own service; a dead node's calls fail by the timeout. */
  private static TargetService nodeService(Vertx vertx, String name, long timeoutMs) {
    return proxy(vertx, Addresses.targetNode(name), timeoutMs, TargetService.class);
  }

  private static <T> T proxy(Vertx vertx, String address, long timeoutMs, Class<T> type) {
    return new ServiceProxyBuilder(vertx)
        .setAddress(address)
        .setOptions(new DeliveryOptions().setSendTimeout(timeoutMs))
        .build(type);
  }
}
