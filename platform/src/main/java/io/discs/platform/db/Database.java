package io.discs.platform.db;

import io.discs.platform.config.DatabaseUrl;
import io.discs.platform.config.ServiceRole;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the reactive pool services use at runtime and runs the schema migrations before they start.
 */
public final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  /** The role names Flyway may put into SQL: plain identifiers only. */
  private static final Pattern ROLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

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

  /**
   * Migrates, as {@code owner}, the schema of each service in {@code services}, each from its own
   * module's {@code db/<schema>/} with its own history; a database made before the split first
   * finishes the shared history (see {@link SchemaMigrations}). When the services connect as
   * another role ({@code app}), that role gets only what they need afterwards: rows, but it owns
   * nothing, so it cannot switch a trigger off. Flyway speaks JDBC and blocks, so it runs on a
   * worker thread.
   */
  public static Future<Void> migrate(
      Vertx vertx, DatabaseUrl owner, DatabaseUrl app, Set<ServiceRole> services) {
    String appRole = app.user().equals(owner.user()) ? "" : app.user();
    if (!appRole.isEmpty() && !ROLE.matcher(appRole).matches()) {
      return Future.failedFuture(
          new IllegalArgumentException(
              "the database role '" + appRole + "' is not a plain lowercase identifier"));
    }
    return vertx.executeBlocking(
        () -> {
          SchemaMigrations migrations = new SchemaMigrations(owner, appRole);
          migrations.oneProcessAtATime(
              () -> {
                migrations.finishSharedHistory();
                for (ServiceRole service : services) {
                  migrations.migrate(service.schema());
                }
              });
          if (!appRole.isEmpty()) {
            LOG.info("services connect as {}", appRole);
          }
          return null;
        },
        false);
  }

  /** Migrates every service's schema (one process runs them all, or a test). */
  public static Future<Void> migrate(Vertx vertx, DatabaseUrl owner, DatabaseUrl app) {
    return migrate(vertx, owner, app, EnumSet.allOf(ServiceRole.class));
  }

  /** Migrates as the role the services use (one role owns and uses the tables). */
  public static Future<Void> migrate(Vertx vertx, DatabaseUrl url) {
    return migrate(vertx, url, url);
  }
}
