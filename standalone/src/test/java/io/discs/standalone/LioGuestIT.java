package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.discs.platform.config.DatabaseUrl;
import io.discs.testing.DiscImages;
import io.discs.testing.Processes;
import io.discs.testing.TestDatabase;
import io.discs.testing.guest.DebianGuestImage;
import io.discs.testing.guest.QemuGuest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * discs on a LIO host, as an operator on Debian runs it: in the Debian guest, with Debian's kernel
 * target (target_core_mod, iscsi_target_mod, target_core_file) and targetcli-fb, the server jar as
 * root with {@code DISCS_ISCSI_BACKEND=lio} (every service in one JVM, on the test's PostgreSQL
 * through a forward: embedded PostgreSQL does not start within its 30 s under TCG). The host's
 * initiators reach the API and LIO's portal through QEMU's hostfwd ({@link LioHostChecks}) while
 * the guest waits on them; then the companion with stock open-iscsi mounts from inside the guest,
 * and the server is killed with -9 and started again. One JVM, not the targets role joined to a
 * cluster on the host: QEMU's user network forwards only chosen ports, and cluster members connect
 * to each other both ways.
 */
class LioGuestIT {
  private static final String PASSWORD = "lio-admin-password-1";
  private static final int DATABASE_PORT = 5432;
  private static final int HOST_CHECKS_PORT = 9000;
  private static final Pattern DISCS_IQN = Pattern.compile("iqn\\.2026-01\\.io\\.discs:[0-9a-f.]+");
  private static final Pattern BACKSTORE = Pattern.compile("discs-[0-9a-f]{32}");

  @TempDir Path dir;

  @Test
  void theLioBackendServesDiscsReadOnlyToRealInitiatorsAndReconcilesAfterKill9() throws Exception {
    Path server = Path.of("target", "discs-standalone.jar").toAbsolutePath().normalize();
    Path companion =
        Path.of("..", "companion", "target", "discs-companion.jar").toAbsolutePath().normalize();
    requireRootAnd(server, companion);
    DebianGuestImage guest = DebianGuestImage.prepare();

    Path scenario = Files.createDirectories(dir.resolve("scenario"));
    Files.copy(server, scenario.resolve("server.jar"));
    Files.copy(companion, scenario.resolve("companion.jar"));
    Path iso = DiscImages.iso9660(scenario.resolve("disc.iso"), "LIO", 4 << 20, false, 29);
    copyResource("/guest/lio-scenario.sh", scenario.resolve("scenario.sh"));
    copyResource("/guest/checks.sh", scenario.resolve("checks.sh"));
    // The server's own logging, with the targetcli commands it runs (secrets shown as <secret>).
    try (var logback = getClass().getResourceAsStream("/logback.xml")) {
      String config = new String(logback.readAllBytes(), StandardCharsets.UTF_8);
      Files.writeString(
          scenario.resolve("logback.xml"),
          config.replace(
              "<root ",
              "<logger name=\"io.discs.targets.command.CommandRunner\" level=\"DEBUG\"/>\n  <root "));
    }
    DatabaseUrl owner = TestDatabase.freshDatabase();
    int apiPort = freePort();
    int portalPort = freePort();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PASSWORD", PASSWORD);
    env.put("DB_OWNER_URL", DiscsProcess.url(throughForward(owner)));
    env.put("DB_URL", DiscsProcess.url(throughForward(TestDatabase.appRole(owner))));
    env.put("IMAGE_SIZE", String.valueOf(Files.size(iso)));
    env.put("IMAGE_SHA", DiscImages.sha256(iso));
    env.put("HOST_CHECKS", QemuGuest.HOST_ADDRESS + ":" + HOST_CHECKS_PORT);
    QemuGuest.writeEnvironment(scenario, env);

    LioHostChecks host = new LioHostChecks(apiPort, portalPort, PASSWORD, iso, dir);
    HttpServer checks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    checks.createContext(
        "/checks",
        exchange -> {
          String query = exchange.getRequestURI().getQuery();
          String bearer = exchange.getRequestHeaders().getFirst("Authorization");
          host.run(query.substring(query.indexOf('=') + 1), bearer.substring("Bearer ".length()));
          byte[] done = "done\n".getBytes(StandardCharsets.US_ASCII);
          exchange.sendResponseHeaders(200, done.length);
          exchange.getResponseBody().write(done);
          exchange.close();
        });
    checks.start();
    QemuGuest.Run run;
    try {
      run =
          QemuGuest.boot(
              guest,
              scenario,
              List.of(
                  new QemuGuest.Forward(DATABASE_PORT, owner.port()),
                  new QemuGuest.Forward(HOST_CHECKS_PORT, checks.getAddress().getPort())),
              List.of(
                  new QemuGuest.HostForward(apiPort, 8080),
                  new QemuGuest.HostForward(portalPort, 3260)),
              dir.resolve("qemu"),
              Duration.ofMinutes(25));
    } finally {
      checks.stop(0);
    }
    String console = String.join("\n", run.lines());
    Files.writeString(
        Path.of("target", "lio-guest-console.log"),
        run.console() + "\n" + String.join("\n", host.results()));
    Files.write(Path.of("target", "lio-conformance.txt"), host.conformance());

    assertThat(console).as(console).contains("DISCS-STEP end");
    List<String> failed =
        new ArrayList<>(
            run.lines().stream()
                .filter(l -> l.startsWith("DISCS-CHECK") && !l.endsWith(" ok"))
                .toList());
    host.results().stream().filter(l -> l.contains(" FAILED")).forEach(failed::add);
    assertThat(failed).as(console + "\n" + host.results()).isEmpty();
    assertThat(
            run.lines().stream().filter(l -> l.startsWith("DISCS-CHECK")).map(l -> l.split(" ")[1]))
        .as(console)
        .contains(
            "lio-configfs",
            "lio-hand-made-target",
            "server-ready",
            "image-stored",
            "host-checks-answered",
            "lio-host-targets-gone",
            "lio-has-the-target",
            "lio-lun-read-only",
            "disk-device-exists",
            "disk-device-hash",
            "disk-write-refused",
            "sessions-show-the-lio-connection",
            "lio-target-lost-while-down",
            "lio-stray-made",
            "server-ready-again",
            "lio-lost-target-served-again",
            "lio-stray-removed",
            "lio-hand-made-target-left-alone",
            "disk-logged-in-again",
            "disk-device-hash-after-restart",
            "session-still-active",
            "lio-nothing-left-of-the-target",
            "no-iscsi-session-left",
            "lio-no-backstore-left",
            "lio-hand-made-target-still-there");
    assertThat(host.results().stream().map(l -> l.split(" ")[0]))
        .contains(
            "host-qemu-img-reads-the-image",
            "host-qemu-io-write-refused",
            "host-wrong-secret-refused",
            "host-other-initiator-refused",
            "host-mutual-chap-works",
            "host-mutual-chap-wrong-target-secret-refused",
            "host-cdrom-refused-with-422",
            "host-target-deleted");
    assertThat(host.conformance()).as("perf/conformance.sh ran").hasSize(3);

    // The stand-in LioBackendTest drives is held to what the real targetcli ran here.
    List<String> commands =
        run.lines().stream()
            .filter(l -> l.startsWith("DISCS-CMD "))
            .map(l -> normalized(l.substring("DISCS-CMD ".length())))
            .toList();
    List<String> lifecycle = lifecycle();
    assertThat(Collections.indexOfSubList(commands, lifecycle.subList(0, 10)))
        .as("a create as lio/targetcli-lifecycle.txt has it, in:\n" + String.join("\n", commands))
        .isNotNegative();
    // The delete of a target whose image no other target serves (its backstore goes too).
    assertThat(Collections.indexOfSubList(commands, lifecycle.subList(10, 14)))
        .as("a delete as lio/targetcli-lifecycle.txt has it, in:\n" + String.join("\n", commands))
        .isNotNegative();
  }

  /** A real command line with its target's values as the names lio/targetcli-lifecycle.txt uses. */
  private static String normalized(String command) {
    String line =
        command
            .replace(LioHostChecks.INITIATOR, "{INITIATOR}")
            .replaceAll("file_or_dev=\\S+", "file_or_dev={BLOB}")
            .replaceAll("userid=\\S+", "userid={USER}")
            .replace("portals create 0.0.0.0 3260", "portals create {PORTAL_HOST} {PORTAL_PORT}");
    line = DISCS_IQN.matcher(line).replaceAll("{IQN}");
    return BACKSTORE.matcher(line).replaceAll("{BACKSTORE}");
  }

  /** The create and delete lines of lio/targetcli-lifecycle.txt, which LioBackendTest also uses. */
  private static List<String> lifecycle() throws Exception {
    return Files.readAllLines(
            Path.of("..", "target-service", "src", "test", "resources", "lio")
                .resolve("targetcli-lifecycle.txt"))
        .stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .toList();
  }

  private void copyResource(String name, Path to) throws Exception {
    try (var in = getClass().getResourceAsStream(name)) {
      Files.copy(in, to);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The database as the guest reaches it: its forward to the host's server. */
  private static DatabaseUrl throughForward(DatabaseUrl url) {
    return new DatabaseUrl(
        QemuGuest.HOST_ADDRESS, DATABASE_PORT, url.database(), url.user(), url.password());
  }

  private static void requireRootAnd(Path... jars) throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    String uid = Processes.run(List.of("id", "-u")).output().strip();
    String missing = !uid.equals("0") ? "building the Debian guest needs root (debootstrap)" : null;
    for (Path jar : jars) {
      if (missing == null && !Files.exists(jar)) {
        missing = jar + " is missing: run it with ./mvnw verify, which builds the jar first";
      }
    }
    if (missing != null) {
      if (ci) {
        Assertions.fail(missing);
      }
      Assumptions.abort(missing);
    }
  }
}
