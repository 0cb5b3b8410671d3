package io.discs.standalone;

import io.discs.platform.config.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * PostgreSQL run by discs itself, its cluster kept under the data directory so that a restart finds
 * its data again. It listens on loopback only, and every connection, over TCP or the Unix socket,
 * must prove the superuser's password (SCRAM): with the library's default ({@code trust}), any user
 * of the host could connect as superuser, read CHAP secrets and run programs. The password is made
 * at first start and kept in {@code <data>/keys/postgres-password}, readable by its owner only.
 */
final class EmbeddedDatabase implements AutoCloseable {
  private static final String PASSWORD_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String SCRAM_HBA =
      """
      # Written by discs at every start: every connection proves the password, none is trusted.
      local   all   all                  scram-sha-256
      host    all   all   127.0.0.1/32   scram-sha-256
      host    all   all   ::1/128        scram-sha-256
      """;
  private static final String LOOPBACK_TRUST_HBA =
      """
      # Written by discs for the moment before its superuser has a password (first start only).
      host    all   all   127.0.0.1/32   trust
      host    all   all   ::1/128        trust
      """;

  /**
   * The role the services connect as: it owns nothing (see db/grants/afterMigrate__1_grants.sql).
   */
  static final String APP_ROLE = "discs_app";

  private final EmbeddedPostgres postgres;
  private final String password;
  private final String appPassword;

  private EmbeddedDatabase(EmbeddedPostgres postgres, String password, String appPassword) {
    this.postgres = postgres;
    this.password = password;
    this.appPassword = appPassword;
  }

  static EmbeddedDatabase start(Path directory) throws IOException {
    Files.createDirectories(directory.getParent());
    Path passwordFile = directory.getParent().resolve("keys").resolve("postgres-password");
    boolean hasPassword =
        Files.exists(passwordFile) && Files.exists(directory.resolve("postgresql.conf"));
    String password = hasPassword ? Files.readString(passwordFile).strip() : newPassword();
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(directory)
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(false)
            .setPGStartupWait(Duration.ofSeconds(30))
            .setServerConfig("listen_addresses", "localhost")
            .setServerConfig("max_connections", "100")
            .setServerConfig("password_encryption", "scram-sha-256")
            // The library tunes PostgreSQL for throwaway test clusters (no fsync, asynchronous
            // commit); this one holds real data, so durability comes back on.
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("full_page_writes", "on")
            .setConnectConfig("password", password)
            .setDataDirectoryCustomizer(
                dir -> writeHba(dir.toPath(), hasPassword ? SCRAM_HBA : LOOPBACK_TRUST_HBA))
            .start();
    String appPassword;
    try {
      if (!hasPassword) {
        setPassword(postgres, directory, password, passwordFile);
      }
      appPassword = ensureAppRole(postgres, passwordFile.resolveSibling("app-db-password"));
    } catch (IOException | RuntimeException e) {
      postgres.close();
      throw e;
    }
    return new EmbeddedDatabase(postgres, password, appPassword);
  }

  /**
   * The services' own login role, separate from the superuser that owns the tables and runs the
   * migrations: its password is made once, kept beside the superuser's, and set at every start.
   */
  private static String ensureAppRole(EmbeddedPostgres postgres, Path file) throws IOException {
    String appPassword = Files.exists(file) ? Files.readString(file).strip() : newPassword();
    if (!Files.exists(file)) {
      writeSecret(file, appPassword);
    }
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      // Neither the role name nor the alphabet of the password has a quote.
      statement.execute(
          "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '"
              + APP_ROLE
              + "') THEN CREATE ROLE "
              + APP_ROLE
              + " LOGIN; END IF; END $$");
      statement.execute("ALTER ROLE " + APP_ROLE + " LOGIN PASSWORD '" + appPassword + "'");
    } catch (SQLException e) {
      throw new IOException("cannot prepare the services' database role: " + e.getMessage(), e);
    }
    return appPassword;
  }

  /**
   * First start (or a cluster from before passwords): the superuser gets its password, the file
   * keeps it, and the server is told to trust no one from now on.
   */
  private static void setPassword(
      EmbeddedPostgres postgres, Path directory, String password, Path passwordFile)
      throws IOException {
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement()) {
      // The alphabet has no quote: the literal cannot break out.
      statement.execute("ALTER ROLE postgres PASSWORD '" + password + "'");
      writeSecret(passwordFile, password);
      writeHba(directory, SCRAM_HBA);
      statement.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw new IOException("cannot give the embedded PostgreSQL a password: " + e.getMessage(), e);
    }
  }

  private static void writeHba(Path directory, String content) {
    try {
      Files.writeString(directory.resolve("pg_hba.conf"), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeSecret(Path file, String secret) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), "postgres-password", ".tmp");
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(temp, secret + "\n");
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String newPassword() {
    SecureRandom random = new SecureRandom();
    StringBuilder password = new StringBuilder();
    for (int i = 0; i < 32; i++) {
      password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
    }
    return password.toString();
  }

  /** The superuser: owns the tables, runs the migrations. */
  DatabaseUrl ownerUrl() {
    return new DatabaseUrl("localhost", postgres.getPort(), "postgres", "postgres", password);
  }

  /** What the services connect as. */
  DatabaseUrl appUrl() {
    return new DatabaseUrl("localhost", postgres.getPort(), "postgres", APP_ROLE, appPassword);
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
