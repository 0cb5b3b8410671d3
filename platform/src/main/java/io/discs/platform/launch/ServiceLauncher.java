package io.discs.platform.launch;

import io.discs.platform.cluster.CallerProofs;
import io.discs.platform.cluster.MemberCredentials;
import io.discs.platform.config.ConfigException;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.config.ServiceRole;
import io.discs.platform.db.Database;
import io.discs.platform.events.EventPublisher;
import io.discs.platform.metrics.Metrics;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one service as a process of its own, the cluster way: clustered event bus, an external
 * PostgreSQL, the migrations of its own schema, then the service's verticle. A bad configuration
 * stops it with one line.
 */
public final class ServiceLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceLauncher.class);

  private ServiceLauncher() {}

  public static void run(ServiceRole role, Function<ServiceContext, Deployable> verticle) {
    String service = role.wireName();
    DiscsConfig config;
    Tracing tracing;
    try {
      config = DiscsConfig.fromProcess();
      tracing = Tracing.fromEnvironment(System.getenv());
      if (config.externalDatabase().isEmpty()) {
        throw new ConfigException(
            "DISCS_DB_URL must name a PostgreSQL server when a service runs on its own");
      }
    } catch (ConfigException e) {
      System.err.println("discs " + service + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    Metrics metrics = Metrics.create();
    DiscsConfig cfg = config;
    MemberCredentials member = MemberCredentials.of(cfg.cluster());
    Future<Vertx> started =
        VertxFactory.create(cfg, metrics, tracing, member)
            .compose(
                vertx ->
                    Database.migrate(vertx, cfg.migrationUrl(), cfg.dbUrl(), EnumSet.of(role))
                        .compose(
                            v -> {
                              var pool = Database.pool(vertx, cfg.dbUrl(), cfg.dbPoolSize());
                              var context =
                                  new ServiceContext(
                                      cfg,
                                      pool,
                                      new EventPublisher(vertx.eventBus()),
                                      metrics,
                                      CallerProofs.of(vertx, cfg.cluster(), Clock.systemUTC()),
                                      member,
                                      Clock.systemUTC());
                              return vertx.deployVerticle(verticle.apply(context));
                            })
                        .map(id -> vertx));
    started
        .onSuccess(
            vertx -> {
              LOG.info(
                  "discs {} started (cluster={}, db={})",
                  service,
                  cfg.cluster().enabled(),
                  cfg.dbUrl());
              Runtime.getRuntime()
                  .addShutdownHook(new Thread(() -> closeQuietly(vertx), "discs-shutdown"));
            })
        .onFailure(
            failure -> {
              LOG.error("discs {} failed to start: {}", service, failure.getMessage());
              System.exit(1);
            });
  }

  private static void closeQuietly(Vertx vertx) {
    if (!MainThread.awaitCompletion(vertx.close(), Duration.ofSeconds(10))) {
      LOG.warn("Vert.x did not close within 10 s");
    }
  }
}
