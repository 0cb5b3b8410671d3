package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.discs.platform.config.DatabaseUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

  @Test
  void findsItsDataAgainAfterARestart(@TempDir Path dataDir) throws Exception {
    Path cluster = dataDir.resolve("postgres");
    try (EmbeddedDatabase first = EmbeddedDatabase.start(cluster);
        Connection connection = connect(first.ownerUrl());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE kept (v TEXT)");
      statement.execute("INSERT INTO kept VALUES ('still here')");
    }

    try (EmbeddedDatabase second = EmbeddedDatabase.start(cluster);
        Connection connection = connect(second.ownerUrl());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT v FROM kept")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("still here");
    }
  }

  @Test
  @org.junit.jupiter.api.Tag("security")
  void refusesConnectionsWithoutThePasswordBeforeAndAfterARestart(@TempDir Path dataDir)
      throws Exception {
    Path cluster = dataDir.resolve("postgres");
    Path passwordFile = dataDir.resolve("keys/postgres-password");
    for (int start = 0; start < 2; start++) {
      try (EmbeddedDatabase db = EmbeddedDatabase.start(cluster)) {
        DatabaseUrl url = db.ownerUrl();
        assertThat(url.password()).hasSize(32);
        assertThat(Files.readString(passwordFile).strip()).isEqualTo(url.password());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)))
            .isEqualTo("rw-------");
        try (Connection connection = connect(url)) {
          assertThat(connection.isValid(5)).isTrue();
        }
        assertThatThrownBy(() -> DriverManager.getConnection(url.jdbcUrl(), "postgres", ""))
            .isInstanceOf(SQLException.class);
        io.discs.testing.security.SecurityReport.record(
            "Embedded PostgreSQL trusts every local user",
            "connect to the embedded PostgreSQL as postgres without the password (start "
                + start
                + ")",
            "refused; the password file is rw------- (other local users cannot read it)",
            "refused; "
                + PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)));
        assertThatThrownBy(
                () -> DriverManager.getConnection(url.jdbcUrl(), "postgres", "not-the-password"))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("password authentication failed");
      }
    }
  }

  @Test
  @org.junit.jupiter.api.Tag("security")
  void theServicesRoleMayAddAuditRowsButNeverChangeTheLogOrItsGuards(@TempDir Path dataDir)
      throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir.resolve("postgres"))) {
      io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
      try {
        io.discs.platform.db.Database.migrate(vertx, db.ownerUrl(), db.appUrl())
            .await(60, java.util.concurrent.TimeUnit.SECONDS);
      } finally {
        vertx.close().await(10, java.util.concurrent.TimeUnit.SECONDS);
      }
      try (Connection app = connect(db.appUrl());
          Statement sql = app.createStatement()) {
        sql.execute(
            "INSERT INTO audit.audit_events (at, type, actor, outcome) VALUES (now(), 't', 'a', 'success')");
        for (String attack :
            java.util.List.of(
                "ALTER TABLE audit.audit_events DISABLE TRIGGER USER",
                "DELETE FROM audit.audit_events",
                "UPDATE audit.audit_events SET actor = 'mallory'",
                "TRUNCATE audit.audit_events",
                "DELETE FROM audit.audit_seals",
                "DROP TABLE audit.audit_events",
                "CREATE TABLE mine (v TEXT)",
                "COPY (SELECT 1) TO PROGRAM 'id'")) {
          String refused;
          try {
            sql.execute(attack);
            refused = "allowed";
          } catch (SQLException e) {
            refused = e.getMessage().lines().findFirst().orElse("refused");
          }
          io.discs.testing.security.SecurityReport.record(
              "The audit chain can be rewritten by its owner",
              "as the services' role: " + attack,
              "refused",
              refused);
          assertThatThrownBy(() -> sql.execute(attack))
              .as(attack)
              .isInstanceOf(SQLException.class)
              .hasMessageMatching(
                  "(?s).*(permission denied|must be owner|must be superuser|not allowed).*");
        }
      }
    }
  }

  @Test
  void runsWithDurableCommits(@TempDir Path dataDir) throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir.resolve("postgres"));
        Connection connection = connect(db.ownerUrl());
        Statement statement = connection.createStatement()) {
      assertThat(setting(statement, "fsync")).isEqualTo("on");
      assertThat(setting(statement, "synchronous_commit")).isEqualTo("on");
    }
  }

  private static String setting(Statement statement, String name) throws Exception {
    try (ResultSet rows = statement.executeQuery("SHOW " + name)) {
      rows.next();
      return rows.getString(1);
    }
  }

  private static Connection connect(DatabaseUrl url) throws Exception {
    return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
  }
}
