package io.discs.sessions;

import io.discs.platform.Addresses;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.images.ImageService;
import io.discs.platform.launch.ServiceBindings;
import io.discs.platform.launch.ServiceContext;
import io.discs.platform.sessions.SessionService;
import io.discs.platform.targets.TargetNodes;
import io.discs.platform.targets.TargetService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.serviceproxy.ServiceProxyBuilder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** session-service's front door: binds {@link SessionService} and runs the reaper. */
public final class SessionVerticle extends VerticleBase {
  public static final String NAME = "session-service";
  private static final Logger LOG = LoggerFactory.getLogger(SessionVerticle.class);

  private final ServiceContext services;
  private long timer = -1;
  private long gaugeTimer = -1;
  private TargetNodes nodes;

  public SessionVerticle(ServiceContext services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    DiscsConfig config = services.config();
    SessionRepository repository = new SessionRepository(services.pool());
    Leases leases = new Leases(vertx, config.sessions().leaseSeconds());
    long toTargets = config.deadlines().sessionToTargets().toMillis();
    TargetService targets =
        new ServiceProxyBuilder(vertx)
            .setAddress(Addresses.TARGET_SERVICE)
            .setOptions(new DeliveryOptions().setSendTimeout(toTargets))
            .build(TargetService.class);
    ImageService images =
        new ServiceProxyBuilder(vertx)
            .setAddress(Addresses.IMAGE_SERVICE)
            .setOptions(new DeliveryOptions().setSendTimeout(toTargets))
            .build(ImageService.class);
    nodes = TargetNodes.listen(vertx, Duration.ofSeconds(config.sessions().leaseSeconds()));
    SessionServiceImpl service =
        new SessionServiceImpl(
            repository,
            leases,
            targets,
            new TargetPlacement(
                targets,
                nodes,
                name -> nodeService(name, toTargets),
                // Who is connected: asked of every node, never longer than the gateway waits.
                name -> nodeService(name, Math.min(5_000, toTargets))),
            images,
            services.events(),
            new SessionSettings(
                config.sessions().maxPerUser(),
                config.sessions().heartbeatSeconds(),
                config.targets().portal().toString()),
            services.callers());
    Reaper reaper =
        new Reaper(vertx, repository, leases, service, new NodeLosses(repository, nodes, service));
    Counter expiredSessions =
        Counter.builder("discs.sessions.expired")
            .description("sessions the reaper expired because their heartbeats stopped")
            .register(services.metrics().registry());
    new TargetRemovals(vertx, repository, service).listen();
    AtomicLong active = new AtomicLong();
    Gauge.builder("discs.sessions.active", active, AtomicLong::get)
        .description("sessions in state ACTIVE (all users), looked up every 15 s")
        .register(services.metrics().registry());
    // A count per scrape would be a query on an event loop: a timer refreshes it instead.
    gaugeTimer =
        vertx.setPeriodic(1, 15_000, id -> repository.countAllActive().onSuccess(active::set));
    return ServiceBindings.bind(
            vertx,
            NAME,
            Addresses.SESSION_SERVICE,
            SessionService.class,
            new MeteredSessionService(service, services.metrics().registry()),
            services.pool(),
            services.callers())
        .onSuccess(
            v ->
                timer =
                    vertx.setPeriodic(
                        config.sessions().reaperSeconds() * 1000L,
                        id ->
                            reaper
                                .reap()
                                .onSuccess(
                                    expired -> {
                                      expiredSessions.increment(expired);
                                      if (expired > 0) {
                                        LOG.info(
                                            "expired {} sessions whose lease had passed", expired);
                                      }
                                    })
                                .onFailure(
                                    failure ->
                                        LOG.warn("reaper pass failed: {}", failure.getMessage()))));
  }

  /** A target node's own service; a dead node's calls fail by the timeout. */
  private TargetService nodeService(String name, long timeoutMs) {
    return new ServiceProxyBuilder(vertx)
        .setAddress(Addresses.targetNode(name))
        .setOptions(new DeliveryOptions().setSendTimeout(timeoutMs))
        .build(TargetService.class);
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    vertx.cancelTimer(gaugeTimer);
    return nodes.close();
  }
}
