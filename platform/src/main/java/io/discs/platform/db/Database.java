package io.discs.platform.db;

import io.discs.platform.config.DatabaseUrl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the reactive pool services use at runtime and runs the schema migrations before they start.
 */
public final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private Database() {}

  /**
   * A pool owned by the caller, not by a verticle: a pool created inside a verticle would close
   * with it, and several verticles share this one.
   */
  public static Pool pool(Vertx vertx, DatabaseUrl url, int size) {
    PgConnectOptions connect =
        new PgConnectOptions()
            .setHost(url.host())
            .setPort(url.port())
            .setDatabase(url.database())
            .setUser(url.user())
            .setPassword(url.password())
            .setCachePreparedStatements(true);
    PoolOptions pool = new PoolOptions().setMaxSize(size).setName("discs-pg");
    return PgBuilder.pool().with(pool).connectingTo(connect).using(vertx).build();
  }

  /** Flyway speaks JDBC and blocks, so it runs on a worker thread. */
  public static Future<Void> migrate(Vertx vertx, DatabaseUrl url) {
    return vertx.executeBlocking(
        () -> {
          Flyway flyway =
              Flyway.configure()
                  .dataSource(url.jdbcUrl(), url.user(), url.password())
                  .locations("classpath:db/migration")
                  .load();
          var result = flyway.migrate();
          var current = flyway.info().current();
          LOG.info(
              "database schema at version {} ({} migrations applied now)",
              current == null ? "none" : current.getVersion(),
              result.migrationsExecuted);
          return null;
        },
        false);
  }
}
