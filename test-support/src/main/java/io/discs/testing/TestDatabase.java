package io.discs.testing;

import io.discs.platform.config.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one PostgreSQL fixture for every module: the server in {@code DISCS_TEST_DB_URL} when set,
 * else a Testcontainers PostgreSQL where Docker answers, else embedded PostgreSQL. Each call to
 * {@link #freshDatabase()} creates an empty database of its own on that server, so tests never see
 * each other's rows.
 */
public final class TestDatabase {
  private static final Logger LOG = LoggerFactory.getLogger(TestDatabase.class);
  private static DatabaseUrl server;

  private TestDatabase() {}

  public static synchronized DatabaseUrl freshDatabase() {
    DatabaseUrl admin = server();
    String name = "discs_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection connection =
            DriverManager.getConnection(admin.jdbcUrl(), admin.user(), admin.password());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database on " + admin, e);
    }
    return new DatabaseUrl(admin.host(), admin.port(), name, admin.user(), admin.password());
  }

  /**
   * The role tests run the services as, apart from the owner: see
   * db/grants/afterMigrate__1_grants.sql.
   */
  public static final String APP_ROLE = "discs_test_app";

  private static final String APP_PASSWORD = "app-role-password-for-tests";

  /**
   * {@code owner}'s database, reached as a login role that owns nothing (made once per server), as
   * the standalone's embedded database and the roles in infra/postgres do.
   */
  public static synchronized DatabaseUrl appRole(DatabaseUrl owner) {
    try (Connection connection =
            DriverManager.getConnection(owner.jdbcUrl(), owner.user(), owner.password());
        Statement statement = connection.createStatement()) {
      statement.execute(
          "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '"
              + APP_ROLE
              + "') THEN CREATE ROLE "
              + APP_ROLE
              + " LOGIN PASSWORD '"
              + APP_PASSWORD
              + "'; END IF; END $$");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the test application role on " + owner, e);
    }
    return new DatabaseUrl(owner.host(), owner.port(), owner.database(), APP_ROLE, APP_PASSWORD);
  }

  private static DatabaseUrl server() {
    if (server == null) {
      server = startServer();
    }
    return server;
  }

  private static DatabaseUrl startServer() {
    String configured = System.getenv("DISCS_TEST_DB_URL");
    if (configured != null && !configured.isBlank()) {
      LOG.info("tests use PostgreSQL from DISCS_TEST_DB_URL");
      return DatabaseUrl.parse(configured);
    }
    if (dockerAnswers()) {
      LOG.info("tests use PostgreSQL in a Testcontainers container");
      PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
      container.start();
      Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
      return new DatabaseUrl(
          container.getHost(),
          container.getFirstMappedPort(),
          container.getDatabaseName(),
          container.getUsername(),
          container.getPassword());
    }
    LOG.info("tests use embedded PostgreSQL (no DISCS_TEST_DB_URL, no Docker)");
    try {
      EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      postgres.close();
                    } catch (IOException e) {
                      // The JVM is going away; the temporary cluster directory is removed by the
                      // library.
                    }
                  }));
      return new DatabaseUrl("localhost", postgres.getPort(), "postgres", "postgres", "");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
  }

  private static boolean dockerAnswers() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }
}
