package io.discs.testing;

import io.discs.platform.config.DatabaseUrl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Debian's PostgreSQL server (the {@code postgresql} package), made with initdb in a directory of
 * its own and started with pg_ctl on a free port: the server a deployment runs, not a library's
 * build of it. The database {@code discs} belongs to an owner role that runs the migrations; the
 * services log in as a role that owns nothing, as in infra/postgres. As root, the server runs as
 * the {@code postgres} user (it refuses root).
 */
public final class LocalPostgres implements AutoCloseable {
  private static final String OWNER = "discs_owner";
  private static final String APP = "discs_app";

  private final Path dir;
  private final Path bin;
  private final List<String> asPostgres;
  private final String host;
  private final int port;
  private final String ownerPassword;
  private final String appPassword;

  private LocalPostgres(
      Path dir, Path bin, List<String> asPostgres, String host, int port, String password) {
    this.dir = dir;
    this.bin = bin;
    this.asPostgres = asPostgres;
    this.host = host;
    this.port = port;
    this.ownerPassword = password + "-owner";
    this.appPassword = password + "-app";
  }

  /**
   * @param prefix what runs every server command (an {@code ip netns exec NAME} to start it in a
   *     namespace), or empty
   * @param host the address it listens on
   */
  public static LocalPostgres start(List<String> prefix, String host) throws Exception {
    Path bin = serverBinaries();
    Path dir = TempDirs.create("discs-postgres");
    boolean root = "root".equals(System.getProperty("user.name"));
    List<String> as = new ArrayList<>(prefix);
    if (root) {
      as.addAll(
          List.of(SystemTools.require("runuser", "util-linux").toString(), "-u", "postgres", "--"));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
      Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
    }
    String password = "pw-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
    LocalPostgres server = new LocalPostgres(dir, bin, as, host, FreePorts.next(), password);
    server.initialise();
    server.startServer();
    server.createDatabase();
    return server;
  }

  /** The newest server Debian installed: /usr/lib/postgresql/VERSION/bin. */
  private static Path serverBinaries() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    Optional<Path> newest = Optional.empty();
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        newest =
            versions
                .filter(v -> Files.isExecutable(v.resolve("bin/postgres")))
                .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())));
      }
    }
    return SystemTools.requireFile(
            newest.orElse(root.resolve("15")).resolve("bin/postgres"), "postgresql")
        .getParent();
  }

  private void initialise() throws Exception {
    Path passwordFile = dir.resolve("pwfile");
    Files.writeString(passwordFile, ownerPassword + "\n");
    chownToServer(passwordFile);
    run(
        List.of(
            bin.resolve("initdb").toString(),
            "-D",
            data().toString(),
            "-U",
            OWNER,
            "--pwfile=" + passwordFile,
            // The socket is in a directory only the server's user reaches: trusted, for the
            // fixture's own psql; over TCP every role needs its password.
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
            "--no-sync"));
    Files.delete(passwordFile);
    // initdb lets TCP in from loopback only; the server listens on one address, and every role
    // there needs its password.
    Files.writeString(
        data().resolve("pg_hba.conf"),
        "host all all 0.0.0.0/0 scram-sha-256\n",
        java.nio.file.StandardOpenOption.APPEND);
  }

  private void startServer() throws Exception {
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data().toString(),
            "-l",
            dir.resolve("server.log").toString(),
            "-w",
            "-t",
            "60",
            "-o",
            "-c listen_addresses=" + host + " -p " + port + " -k " + dir + " -c fsync=off",
            "start"));
  }

  /** Through the server's socket with psql: the test's JVM may not reach its network. */
  private void createDatabase() throws Exception {
    psql("CREATE DATABASE discs OWNER " + OWNER);
    psql("CREATE ROLE " + APP + " LOGIN PASSWORD '" + appPassword + "'");
  }

  /** One statement as the owner role; answers what psql printed (unaligned, tuples only). */
  public String psql(String statement) throws Exception {
    String database =
        statement.startsWith("CREATE DATABASE") || statement.startsWith("CREATE ROLE")
            ? "postgres"
            : "discs";
    return run(client("psql", database, "-v", "ON_ERROR_STOP=1", "-A", "-t", "-c", statement));
  }

  /** A schema of the database, tables, rows and grants, as pg_dump writes it (plain SQL). */
  public String dump(String schema) throws Exception {
    Path file = dir.resolve("dump-" + schema + ".sql");
    run(client("pg_dump", "discs", "-n", schema, "-f", file.toString()));
    String sql = Files.readString(file);
    Files.delete(file);
    return sql;
  }

  /** Runs a dump's SQL into the database, stopping at the first error. */
  public void restore(String sql) throws Exception {
    Path file = Files.createTempFile(dir, "restore-", ".sql");
    Files.writeString(file, sql);
    chownToServer(file);
    run(client("psql", "discs", "-v", "ON_ERROR_STOP=1", "-q", "-f", file.toString()));
    Files.delete(file);
  }

  /** The role that owns the schemas and runs the migrations. */
  public DatabaseUrl owner() {
    return new DatabaseUrl(host, port, "discs", OWNER, ownerPassword);
  }

  /** The role the services run as. */
  public DatabaseUrl app() {
    return new DatabaseUrl(host, port, "discs", APP, appPassword);
  }

  @Override
  public void close() throws Exception {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "stop"));
    Processes.run(List.of("rm", "-rf", dir.toString()));
  }

  /** A client tool of the server's, as the owner role, through the server's socket. */
  private List<String> client(String tool, String database, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                bin.resolve(tool).toString(),
                "-h",
                dir.toString(),
                "-p",
                String.valueOf(port),
                "-U",
                OWNER,
                "-d",
                database));
    command.addAll(List.of(args));
    return command;
  }

  private Path data() {
    return dir.resolve("data");
  }

  private void chownToServer(Path file) throws IOException {
    if (asPostgres.contains("postgres")) {
      UserPrincipalLookupService users = file.getFileSystem().getUserPrincipalLookupService();
      Files.setOwner(file, users.lookupPrincipalByName("postgres"));
    }
  }

  private String run(List<String> command) throws Exception {
    List<String> full = new ArrayList<>(asPostgres);
    full.addAll(command);
    Processes.Result result = Processes.run(full, Duration.ofSeconds(90));
    if (result.exitCode() == 0) {
      return result.output();
    }
    Path serverLog = dir.resolve("server.log");
    String log = Files.exists(serverLog) ? Files.readString(serverLog) : "";
    throw new IllegalStateException(
        String.join(" ", command) + " failed: " + result.output() + "\n" + log);
  }
}
