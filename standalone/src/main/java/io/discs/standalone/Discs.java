package io.discs.standalone;

import io.discs.audit.AuditVerticle;
import io.discs.gateway.GatewayVerticle;
import io.discs.gateway.OperationsServer;
import io.discs.images.ImageVerticle;
import io.discs.platform.cluster.CallerProofs;
import io.discs.platform.cluster.MemberCredentials;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.config.ServiceRole;
import io.discs.platform.db.Database;
import io.discs.platform.events.EventPublisher;
import io.discs.platform.launch.MainThread;
import io.discs.platform.launch.ServiceContext;
import io.discs.platform.launch.Tracing;
import io.discs.platform.launch.VertxFactory;
import io.discs.platform.metrics.Metrics;
import io.discs.sessions.SessionVerticle;
import io.discs.targets.TargetVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every discs service in one Vert.x: the database is migrated first, the services come up next, the
 * gateway last, so that it never accepts a request nothing can answer.
 */
public final class Discs {
  private final Vertx vertx;
  private final Pool pool;
  private final Deployments deployments;
  private final int httpPort;

  private Discs(Vertx vertx, Pool pool, Deployments deployments, int httpPort) {
    this.vertx = vertx;
    this.pool = pool;
    this.deployments = deployments;
    this.httpPort = httpPort;
  }

  /**
   * Starts on the database the configuration names (the caller provides an embedded one if needed),
   * with the services {@code DISCS_SERVICES} names; a process without the gateway serves the
   * operations endpoints alone.
   */
  public static Future<Discs> start(DiscsConfig config, Metrics metrics) {
    return start(config, metrics, Tracing.off());
  }

  /** As {@link #start(DiscsConfig, Metrics)}, traced as {@code tracing} says. */
  public static Future<Discs> start(DiscsConfig config, Metrics metrics, Tracing tracing) {
    // Made on the caller's thread: key generation and signing stay off the event loops.
    MemberCredentials member = MemberCredentials.of(config.cluster());
    return VertxFactory.create(config, metrics, tracing, member)
        .compose(
            vertx ->
                Database.migrate(vertx, config.migrationUrl(), config.dbUrl(), config.services())
                    .compose(
                        v -> {
                          Pool pool = Database.pool(vertx, config.dbUrl(), config.dbPoolSize());
                          ServiceContext context =
                              new ServiceContext(
                                  config,
                                  pool,
                                  new EventPublisher(vertx.eventBus()),
                                  metrics,
                                  CallerProofs.of(vertx, config.cluster(), Clock.systemUTC()),
                                  member,
                                  Clock.systemUTC());
                          Deployments deployments = new Deployments(vertx);
                          List<Future<String>> deployed = new ArrayList<>();
                          for (ServiceRole role : config.services()) {
                            Deployable service = service(role, context);
                            if (service != null) {
                              deployed.add(deployments.deploy(service));
                            }
                          }
                          return Future.all(deployed)
                              .compose(services -> front(vertx, deployments, context))
                              .map(port -> new Discs(vertx, pool, deployments, port));
                        })
                    .recover(
                        failure -> {
                          // Not composed on close(): its completion is delivered to an event loop
                          // that close stops.
                          vertx.close();
                          return Future.failedFuture(failure);
                        }));
  }

  /** The verticle of a service; the gateway comes last, in {@link #front}. */
  private static Deployable service(ServiceRole role, ServiceContext context) {
    return switch (role) {
      case AUDIT -> new AuditVerticle(context);
      case IMAGES -> new ImageVerticle(context);
      case TARGETS -> new TargetVerticle(context);
      case SESSIONS -> new SessionVerticle(context);
      case GATEWAY -> null;
    };
  }

  /**
   * The gateway, once the services here are up, so that it never accepts a request nothing can
   * answer; or, on a node without it, the operations endpoints. Answers the HTTP port.
   */
  private static Future<Integer> front(
      Vertx vertx, Deployments deployments, ServiceContext context) {
    if (context.config().runs(ServiceRole.GATEWAY)) {
      GatewayVerticle gateway = new GatewayVerticle(context);
      return deployments.deploy(gateway).map(id -> gateway.actualPort());
    }
    return OperationsServer.start(vertx, context).map(HttpServer::actualPort);
  }

  public Vertx vertx() {
    return vertx;
  }

  public int httpPort() {
    return httpPort;
  }

  /**
   * Stops from a plain thread; true when everything closed within {@code max}. The services stop
   * before the database pool closes (the gateway first, so no new request arrives), so that what
   * they are still writing, such as the audit rows of the last requests, reaches the database.
   */
  public boolean stop(Duration max) {
    boolean undeployed = MainThread.awaitCompletion(deployments.undeployAll(), max);
    boolean poolClosed = MainThread.awaitCompletion(pool.close(), max);
    return MainThread.awaitCompletion(vertx.close(), max) && poolClosed && undeployed;
  }
}
