package io.discs.standalone;

import io.discs.audit.AuditVerticle;
import io.discs.gateway.GatewayVerticle;
import io.discs.images.ImageVerticle;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.db.Database;
import io.discs.platform.events.EventPublisher;
import io.discs.platform.launch.MainThread;
import io.discs.platform.launch.ServiceContext;
import io.discs.platform.launch.VertxFactory;
import io.discs.platform.metrics.Metrics;
import io.discs.sessions.SessionVerticle;
import io.discs.targets.TargetVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;

/**
 * Every discs service in one Vert.x: the database is migrated first, the services come up next, the
 * gateway last, so that it never accepts a request nothing can answer.
 */
public final class Discs {
  private final Vertx vertx;
  private final Pool pool;
  private final GatewayVerticle gateway;

  private Discs(Vertx vertx, Pool pool, GatewayVerticle gateway) {
    this.vertx = vertx;
    this.pool = pool;
    this.gateway = gateway;
  }

  /**
   * Starts on the database the configuration names; the caller provides an embedded one if needed.
   */
  public static Future<Discs> start(DiscsConfig config, Metrics metrics) {
    return VertxFactory.create(config, metrics)
        .compose(
            vertx ->
                Database.migrate(vertx, config.migrationUrl(), config.dbUrl())
                    .compose(
                        v -> {
                          Pool pool = Database.pool(vertx, config.dbUrl(), config.dbPoolSize());
                          ServiceContext context =
                              new ServiceContext(
                                  config, pool, new EventPublisher(vertx.eventBus()), metrics);
                          GatewayVerticle gateway = new GatewayVerticle(context);
                          return Future.all(
                                  vertx.deployVerticle(new AuditVerticle(context)),
                                  vertx.deployVerticle(new ImageVerticle(context)),
                                  vertx.deployVerticle(new TargetVerticle(context)),
                                  vertx.deployVerticle(new SessionVerticle(context)))
                              .compose(services -> vertx.deployVerticle(gateway))
                              .map(id -> new Discs(vertx, pool, gateway));
                        })
                    .recover(
                        failure -> {
                          // Not composed on close(): its completion is delivered to an event loop
                          // that close stops.
                          vertx.close();
                          return Future.failedFuture(failure);
                        }));
  }

  public Vertx vertx() {
    return vertx;
  }

  public int httpPort() {
    return gateway.actualPort();
  }

  /** Stops from a plain thread; true when everything closed within {@code max}. */
  public boolean stop(Duration max) {
    boolean poolClosed = MainThread.awaitCompletion(pool.close(), max);
    return MainThread.awaitCompletion(vertx.close(), max) && poolClosed;
  }
}
