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
        Connection connection = connect(first.url());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE kept (v TEXT)");
      statement.execute("INSERT INTO kept VALUES ('still here')");
    }

    try (EmbeddedDatabase second = EmbeddedDatabase.start(cluster);
        Connection connection = connect(second.url());
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT v FROM kept")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getString(1)).isEqualTo("still here");
    }
  }

  @Test
  void refusesConnectionsWithoutThePasswordBeforeAndAfterARestart(@TempDir Path dataDir)
      throws Exception {
    Path cluster = dataDir.resolve("postgres");
    Path passwordFile = dataDir.resolve("keys/postgres-password");
    for (int start = 0; start < 2; start++) {
      try (EmbeddedDatabase db = EmbeddedDatabase.start(cluster)) {
        DatabaseUrl url = db.url();
        assertThat(url.password()).hasSize(32);
        assertThat(Files.readString(passwordFile).strip()).isEqualTo(url.password());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile)))
            .isEqualTo("rw-------");
        try (Connection connection = connect(url)) {
          assertThat(connection.isValid(5)).isTrue();
        }
        assertThatThrownBy(() -> DriverManager.getConnection(url.jdbcUrl(), "postgres", ""))
            .isInstanceOf(SQLException.class);
        assertThatThrownBy(
                () -> DriverManager.getConnection(url.jdbcUrl(), "postgres", "not-the-password"))
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("password authentication failed");
      }
    }
  }

  @Test
  void runsWithDurableCommits(@TempDir Path dataDir) throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir.resolve("postgres"));
        Connection connection = connect(db.url());
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
