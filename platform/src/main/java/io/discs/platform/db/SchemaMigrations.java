package io.discs.platform.db;

import io.discs.platform.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flyway, one history per service schema. Each service's migrations live in its own module under
 * {@code db/<schema>/}, with their history in {@code <schema>.flyway_schema_history}, so a service
 * changes its tables without touching anyone else's. Version 1 of each is the state the shared
 * history of the first releases ({@code db/legacy}, one history in {@code public}) left: a database
 * made by it runs what is left of it, unchanged, and each schema is then baselined at 1. Blocking
 * (JDBC): call from a worker.
 */
final class SchemaMigrations {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

  /** The advisory lock's key: "discs" in ASCII, so that it says whose it is in pg_locks. */
  private static final long MIGRATION_LOCK = 0x6469736373L;

  private final DatabaseUrl owner;
  private final String appRole;

  SchemaMigrations(DatabaseUrl owner, String appRole) {
    this.owner = owner;
    this.appRole = appRole;
  }

  /** What runs while this process alone migrates the database. */
  interface Work {
    void run() throws SQLException;
  }

  /**
   * Runs {@code work} holding a PostgreSQL advisory lock, so that the processes of a cluster
   * starting together migrate one after the other: Flyway locks each schema's history, but the
   * grants that follow every migration touch shared catalog rows (the public schema's), and two at
   * once fail with "tuple concurrently updated".
   */
  void oneProcessAtATime(Work work) throws SQLException {
    try (Connection connection =
        DriverManager.getConnection(owner.jdbcUrl(), owner.user(), owner.password())) {
      try (var lock = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
        lock.setLong(1, MIGRATION_LOCK);
        lock.execute();
      }
      try {
        work.run();
      } finally {
        try (var unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
          unlock.setLong(1, MIGRATION_LOCK);
          unlock.execute();
        }
      }
    }
  }

  /** On a database made before the split, the rest of the shared history; else nothing. */
  void finishSharedHistory() throws SQLException {
    if (!sharedHistoryExists()) {
      return;
    }
    var flyway =
        Flyway.configure()
            .dataSource(owner.jdbcUrl(), owner.user(), owner.password())
            .schemas("public")
            .locations("classpath:db/legacy")
            .load();
    int applied = flyway.migrate().migrationsExecuted;
    if (applied > 0) {
      LOG.info("database: {} migrations of the shared history applied", applied);
    }
  }

  void migrate(String schema) {
    var flyway =
        Flyway.configure()
            .dataSource(owner.jdbcUrl(), owner.user(), owner.password())
            .schemas(schema)
            .defaultSchema(schema)
            .locations("classpath:db/" + schema, "classpath:db/grants")
            .baselineOnMigrate(true)
            .baselineVersion("1")
            .placeholders(Map.of("appRole", appRole, "schema", schema))
            .load();
    var result = flyway.migrate();
    var current = flyway.info().current();
    LOG.info(
        "schema {} at version {} ({} migrations applied now)",
        schema,
        current == null ? "none" : current.getVersion(),
        result.migrationsExecuted);
  }

  private boolean sharedHistoryExists() throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(owner.jdbcUrl(), owner.user(), owner.password());
        var statement =
            connection.prepareStatement("SELECT to_regclass('public.flyway_schema_history')");
        var rows = statement.executeQuery()) {
      return rows.next() && rows.getString(1) != null;
    }
  }
}
