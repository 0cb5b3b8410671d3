package io.discs.sessions;

import io.discs.platform.Addresses;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.launch.ServiceBindings;
import io.discs.platform.launch.ServiceContext;
import io.discs.platform.sessions.SessionService;
import io.discs.platform.targets.TargetNodes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
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
    SessionNode node = SessionNode.assemble(vertx, services);
    nodes = node.nodes();
    Counter expiredSessions =
        Counter.builder("discs.sessions.expired")
            .description("sessions the reaper expired because their heartbeats stopped")
            .register(services.metrics().registry());
    node.removals().listen();
    AtomicLong active = new AtomicLong();
    Gauge.builder("discs.sessions.active", active, AtomicLong::get)
        .description("sessions in state ACTIVE (all users), looked up every 15 s")
        .register(services.metrics().registry());
    // A count per scrape would be a query on an event loop: a timer refreshes it instead.
    gaugeTimer =
        vertx.setPeriodic(
            1, 15_000, id -> node.repository().countAllActive().onSuccess(active::set));
    return ServiceBindings.bind(
            vertx,
            NAME,
            Addresses.SESSION_SERVICE,
            SessionService.class,
            new MeteredSessionService(node.service(), services.metrics().registry()),
            services.pool(),
            services.callers())
        .onSuccess(
            v ->
                timer =
                    vertx.setPeriodic(
                        config.sessions().reaperSeconds() * 1000L,
                        id -> reap(node.reaper(), expiredSessions)));
  }

  private static void reap(Reaper reaper, Counter expiredSessions) {
    reaper
        .reap()
        .onSuccess(
            expired -> {
              expiredSessions.increment(expired);
              if (expired > 0) {
                LOG.info("expired {} sessions whose lease had passed", expired);
              }
            })
        .onFailure(failure -> LOG.warn("reaper pass failed: {}", failure.getMessage()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    vertx.cancelTimer(gaugeTimer);
    return nodes.close();
  }
}
