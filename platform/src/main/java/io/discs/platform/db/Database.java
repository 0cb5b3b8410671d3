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

  /** The role names Flyway may put into SQL: plain identifiers only. */
  private static final java.util.regex.Pattern ROLE =
      java.util.regex.Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /**
   * Migrates as {@code owner}; when the services connect as another role ({@code app}), that role
   * gets only what they need afterwards (db/migration/afterMigrate.sql): rows of every table, but
   * on the audit tables only INSERT and SELECT, and it owns nothing, so it cannot switch a trigger
   * off. Flyway speaks JDBC and blocks, so it runs on a worker thread.
   */
  public static Future<Void> migrate(Vertx vertx, DatabaseUrl owner, DatabaseUrl app) {
    String appRole = app.user().equals(owner.user()) ? "" : app.user();
    if (!appRole.isEmpty() && !ROLE.matcher(appRole).matches()) {
      return Future.failedFuture(
          new IllegalArgumentException(
              "the database role '" + appRole + "' is not a plain lowercase identifier"));
    }
    return vertx.executeBlocking(
        () -> {
          Flyway flyway =
              Flyway.configure()
                  .dataSource(owner.jdbcUrl(), owner.user(), owner.password())
                  .locations("classpath:db/migration")
                  .placeholders(java.util.Map.of("appRole", appRole))
                  .load();
          var result = flyway.migrate();
          var current = flyway.info().current();
          LOG.info(
              "database schema at version {} ({} migrations applied now){}",
              current == null ? "none" : current.getVersion(),
              result.migrationsExecuted,
              appRole.isEmpty() ? "" : "; services connect as " + appRole);
          return null;
        },
        false);
  }

  /** Migrates as the role the services use (one role owns and uses the tables). */
  public static Future<Void> migrate(Vertx vertx, DatabaseUrl url) {
    return migrate(vertx, url, url);
  }
}
