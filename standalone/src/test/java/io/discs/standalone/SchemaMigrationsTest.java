package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.platform.config.DatabaseUrl;
import io.discs.platform.config.ServiceRole;
import io.discs.platform.db.Database;
import io.discs.testing.TestDatabase;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each service migrates its own schema from its own module; a database made by the shared history
 * of the first releases ends up exactly where a new one starts, with its rows and the audit chain.
 */
class SchemaMigrationsTest {
  private static final List<String> SCHEMAS =
      List.of("images", "targets", "sessions", "audit", "identity");

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aDatabaseFromTheSharedHistoryEndsWhereANewOneStarts() throws Exception {
    DatabaseUrl fresh = TestDatabase.freshDatabase();
    migrate(fresh, TestDatabase.appRole(fresh));

    DatabaseUrl old = TestDatabase.freshDatabase();
    Flyway.configure()
        .dataSource(old.jdbcUrl(), old.user(), old.password())
        .locations("classpath:db/legacy")
        .load()
        .migrate();
    sql(
        old,
        "INSERT INTO audit.audit_events (at, type, actor, outcome) VALUES (now(), 'before', 'a', 'success')");
    DatabaseUrl app = TestDatabase.appRole(old);
    migrate(old, app);

    assertThat(catalog(old)).isEqualTo(catalog(fresh));
    for (String schema : SCHEMAS) {
      assertThat(query(old, "SELECT version FROM " + schema + ".flyway_schema_history"))
          .as(schema + " baselined at 1")
          .contains("1");
    }
    // The shared history is kept as it was: its checksums still validate.
    assertThat(query(old, "SELECT count(*) FROM public.flyway_schema_history WHERE success"))
        .containsExactly("11");
    // The chain goes on from the row written before the split, as the services' role.
    sql(
        app,
        "INSERT INTO audit.audit_events (at, type, actor, outcome) VALUES (now(), 'after', 'a', 'success')");
    assertThat(
            query(
                old,
                "SELECT count(*) FROM audit.audit_events e JOIN audit.audit_events p"
                    + " ON e.prev_hash = p.hash WHERE p.type = 'before' AND e.type = 'after'"))
        .containsExactly("1");
  }

  @Test
  void aServiceMigratesOnlyItsOwnSchemaAndASecondRunChangesNothing() throws Exception {
    DatabaseUrl url = TestDatabase.freshDatabase();
    Database.migrate(vertx, url, url, EnumSet.of(ServiceRole.SESSIONS)).await(60, TimeUnit.SECONDS);
    assertThat(query(url, "SELECT to_regclass('sessions.sessions')::text"))
        .containsExactly("sessions.sessions");
    assertThat(query(url, "SELECT to_regclass('images.images')::text")).containsOnlyNulls();
    assertThat(query(url, "SELECT to_regclass('public.flyway_schema_history')::text"))
        .containsOnlyNulls();

    migrate(url, url);
    List<String> before = catalog(url);
    migrate(url, url);
    assertThat(catalog(url)).isEqualTo(before);
    assertThat(query(url, "SELECT count(*) FROM sessions.flyway_schema_history WHERE success"))
        .as("the schema's creation, V1, V2 and V3, once")
        .containsExactly("4");
  }

  private void migrate(DatabaseUrl owner, DatabaseUrl app) throws Exception {
    Database.migrate(vertx, owner, app).await(60, TimeUnit.SECONDS);
  }

  /** Tables, columns, constraints, indexes, triggers and functions of the services' schemas. */
  private static List<String> catalog(DatabaseUrl url) throws SQLException {
    String in = "('images', 'targets', 'sessions', 'audit', 'identity')";
    List<String> rows = new ArrayList<>();
    rows.addAll(
        query(
            url,
            "SELECT table_schema || '.' || table_name || '.' || column_name || ' ' || data_type"
                + " || ' ' || is_nullable || ' ' || coalesce(column_default, '')"
                + " FROM information_schema.columns WHERE table_schema IN "
                + in
                + " AND table_name <> 'flyway_schema_history' ORDER BY 1"));
    rows.addAll(
        query(
            url,
            "SELECT n.nspname || '.' || c.conname || ' ' || pg_get_constraintdef(c.oid)"
                + " FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
                + " WHERE n.nspname IN "
                + in
                + " AND c.conname NOT LIKE 'flyway%' ORDER BY 1"));
    rows.addAll(
        query(
            url,
            "SELECT indexdef FROM pg_indexes WHERE schemaname IN "
                + in
                + " AND tablename <> 'flyway_schema_history' ORDER BY 1"));
    rows.addAll(
        query(
            url,
            "SELECT pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE NOT t.tgisinternal"
                + " AND n.nspname IN "
                + in
                + " ORDER BY 1"));
    rows.addAll(
        query(
            url,
            "SELECT n.nspname || '.' || p.proname || ' ' || coalesce(array_to_string(p.proconfig, ','), '')"
                + " || ' ' || regexp_replace(p.prosrc, '\\s+', ' ', 'g')"
                + " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE n.nspname IN "
                + in
                + " ORDER BY 1"));
    rows.addAll(
        query(
            url,
            "SELECT table_schema || '.' || table_name || ' ' || grantee || ' ' || privilege_type"
                + " FROM information_schema.role_table_grants WHERE table_schema IN "
                + in
                + " AND grantee NOT IN (SELECT current_user) AND table_name <> 'flyway_schema_history'"
                + " ORDER BY 1"));
    return rows;
  }

  private static List<String> query(DatabaseUrl url, String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (result.next()) {
        values.add(result.getString(1));
      }
      return values;
    }
  }

  private static void sql(DatabaseUrl url, String sql) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
