package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.testing.DiscImages;
import io.discs.testing.LocalPostgres;
import io.discs.testing.Processes;
import io.discs.testing.SystemTools;
import io.discs.testing.TempDirs;
import io.discs.testing.TestNetwork;
import io.discs.testing.TestNetwork.Host;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The cluster across hosts: three test hosts in network namespaces (host 1 PostgreSQL and a
 * gateway, host 2 images and audit and a second gateway, host 3 targets and sessions; Hazelcast
 * joins over TCP-IP on addresses that exist only inside them), each started from infra/cluster's
 * settings as compose starts its containers, and used from a fourth host as a person would: the
 * companion logs in, uploads (tus) and mounts ({@code --attach none}), qemu-img reads the disc over
 * iSCSI from host 3. Then each role's process is killed with SIGKILL in turn: the first gateway
 * (the second serves meanwhile, and the mount outlives it), the image node during a resumable
 * upload (the companion resumes once it is back; nothing half stored), and the target node while
 * the disc is mounted (after it is back the session is FAILED, the companion's mount stops with the
 * reason, and no target row is left).
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(SideLane.WAITING_CLUSTERS)
class ClusterNamespacesTest {
  private static final String PASSWORD = "namespaces-admin-password";
  private static final String SECRET = "namespaces-secret-0123456789abcdef-0";
  private static final String INITIATOR = "iqn.2026-01.test.discs:namespace-client";

  @Test
  void aClusterAcrossHostsServesAClientAndOutlivesAKilledTargetHost() throws Exception {
    String qemuImg = SystemTools.require("qemu-img", "qemu-utils").toString();
    String curl = SystemTools.require("curl", "curl").toString();
    Path work = TempDirs.create("cluster-namespaces");
    try (TestNetwork network = TestNetwork.create("h1", "h2", "h3", "client");
        LocalPostgres postgres =
            LocalPostgres.start(network.host("h1").prefix(), network.host("h1").address())) {
      Host h1 = network.host("h1");
      Host h2 = network.host("h2");
      Host h3 = network.host("h3");
      Host client = network.host("client");
      // The compose file's lists of settings, with what differs per host set beside them.
      Map<String, String> common = new HashMap<>(envFile("common.env"));
      common.put("DISCS_CLUSTER_NAME", "discs-namespaces-" + UUID.randomUUID());
      common.put(
          "DISCS_CLUSTER_MEMBERS",
          h1.address() + ":5701," + h2.address() + ":5701," + h3.address() + ":5701");
      common.put("DISCS_CLUSTER_SECRET", SECRET);
      common.put("DISCS_DB_URL", DiscsProcess.url(postgres.app()));
      common.put("DISCS_DB_OWNER_URL", DiscsProcess.url(postgres.owner()));
      common.put("DISCS_ADMIN_PASSWORD", PASSWORD);
      common.put("DISCS_ISCSI_PORTAL", h3.address() + ":3260");
      // Short leases, so that the faults below show within the test's time.
      common.put("DISCS_LEASE_SECONDS", "40");
      common.put("DISCS_HEARTBEAT_SECONDS", "2");
      common.put("DISCS_REAPER_SECONDS", "1");
      DiscsProcess gateway;
      DiscsProcess images =
          new DiscsProcess("images", h2.prefix(), on(common, h2, "images.env", work), work);
      DiscsProcess targets =
          new DiscsProcess("targets", h3.prefix(), on(common, h3, "targets.env", work), work);
      // A second gateway, on host 2 beside the image node; the two share the token keys.
      JwtKeys.write(work.resolve("jwt-private.pem"), work.resolve("jwt-public.pem"));
      common.put("DISCS_JWT_PRIVATE_KEY", work.resolve("jwt-private.pem").toString());
      common.put("DISCS_JWT_PUBLIC_KEY", work.resolve("jwt-public.pem").toString());
      Map<String, String> secondGateway = on(common, h2, "gateway.env", work);
      secondGateway.put("DISCS_CLUSTER_PORT", "5702");
      secondGateway.put("DISCS_HTTP_PORT", "8082");
      secondGateway.put("DISCS_MANAGEMENT_LISTEN", "0.0.0.0:9092");
      secondGateway.put("DISCS_DATA_DIR", work.resolve("h2-gateway-data").toString());
      Map<String, String> firstGateway = on(common, h1, "gateway.env", work);
      gateway = new DiscsProcess("gateway", h1.prefix(), firstGateway, work);
      DiscsProcess gateway2 = new DiscsProcess("gateway-2", h2.prefix(), secondGateway, work);
      Process mount = null;
      try {
        images.start();
        targets.start();
        gateway.start();
        gateway2.start();
        images.awaitReady(Duration.ofSeconds(180));
        targets.awaitReady(Duration.ofSeconds(180));
        gateway.awaitReady(Duration.ofSeconds(180));
        gateway2.awaitReady(Duration.ofSeconds(180));
        String server = "http://" + h1.address() + ":8080";
        Path config = work.resolve("companion");
        Path config2 = work.resolve("companion-2");
        login(client, config, server);
        login(client, config2, "http://" + h2.address() + ":8082");

        Path iso = DiscImages.iso9660(work.resolve("hosts.iso"), "HOSTS", 5 << 20, false, 21);
        String sha256 = DiscImages.sha256(iso);
        Processes.Result upload =
            Processes.run(
                client.command(CompanionCli.command(config, "upload", iso.toString(), "--json")),
                Duration.ofMinutes(2));
        assertThat(upload.exitCode()).as(upload.output()).isZero();
        JsonObject image = new JsonObject(CompanionCli.lastLine(upload.output()));
        assertThat(image.getString("sha256")).isEqualTo(sha256);

        Path mountErrors = work.resolve("mount.err");
        mount =
            new ProcessBuilder(
                    client.command(
                        CompanionCli.command(
                            config,
                            "mount",
                            image.getString("id"),
                            "--attach",
                            "none",
                            "--json",
                            "--initiator-iqn",
                            INITIATOR)))
                .redirectError(mountErrors.toFile())
                .start();
        BufferedReader mounted =
            new BufferedReader(
                new InputStreamReader(mount.getInputStream(), StandardCharsets.UTF_8));
        JsonObject session =
            new JsonObject(
                CompletableFuture.supplyAsync(() -> CompanionCli.readLine(mounted))
                    .get(120, TimeUnit.SECONDS));
        assertThat(session.getString("portal")).isEqualTo(h3.address() + ":3260");

        Path copy = work.resolve("read.raw");
        Processes.Result read =
            Processes.run(
                client.command(
                    List.of(
                        qemuImg,
                        "convert",
                        "--image-opts",
                        TestSystem.qemuIscsi(
                            session.getString("portal"),
                            session.getString("iqn"),
                            session.getInteger("lun"),
                            INITIATOR,
                            session.getJsonObject("chap")),
                        "-O",
                        "raw",
                        copy.toString())),
                Duration.ofMinutes(2));
        assertThat(read.exitCode()).as(read.output()).isZero();
        assertThat(DiscImages.sha256(copy)).isEqualTo(sha256);

        // A gateway dies: the other carries on, and the mount outlives it.
        gateway.kill();
        Processes.Result listed =
            Processes.run(
                client.command(CompanionCli.command(config2, "sessions")), Duration.ofMinutes(1));
        assertThat(listed.output()).contains(session.getString("sessionId")).contains("ACTIVE");
        gateway.start().awaitReady(Duration.ofSeconds(180));
        // A few heartbeats through the gateway that came back: the mount lives through them.
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).until(mount::isAlive);

        // The image node dies during two uploads: a single request (curl, slowed down) gets an
        // error; the companion's resumable one resumes once the node is back. Nothing half stored.
        String token =
            new JsonObject(Files.readString(config.resolve("credentials.json"))).getString("token");
        Path raw = DiscImages.iso9660(work.resolve("raw.iso"), "RAW", 24 << 20, false, 23);
        Path rawOut = work.resolve("raw-upload.out");
        Process rawUpload =
            new ProcessBuilder(
                    client.command(
                        List.of(
                            curl,
                            "-s",
                            "-o",
                            "/dev/null",
                            "-w",
                            "%{http_code}",
                            "--limit-rate",
                            "2M",
                            "-H",
                            "Authorization: Bearer " + token,
                            "-H",
                            "Content-Type: application/octet-stream",
                            "--data-binary",
                            "@" + raw,
                            server + "/api/v1/images?name=raw.iso")))
                .redirectErrorStream(true)
                .redirectOutput(rawOut.toFile())
                .start();
        Path big = DiscImages.iso9660(work.resolve("big.iso"), "BIG", 48 << 20, false, 22);
        Path uploadOut = work.resolve("big-upload.out");
        Process bigUpload =
            new ProcessBuilder(
                    client.command(
                        CompanionCli.command(
                            config, "upload", big.toString(), "--json", "--chunk-mib", "1")))
                .redirectErrorStream(true)
                .redirectOutput(uploadOut.toFile())
                .start();
        awaitUploadUnderway(postgres);
        images.kill();
        assertThat(rawUpload.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(rawOut).trim())
            .as("the single upload is told the image node went away")
            .isEqualTo("503");
        images.start().awaitReady(Duration.ofSeconds(180));
        assertThat(bigUpload.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String bigOutput = Files.readString(uploadOut);
        assertThat(bigUpload.exitValue()).as(bigOutput).isZero();
        assertThat(new JsonObject(CompanionCli.lastLine(bigOutput)).getString("sha256"))
            .isEqualTo(DiscImages.sha256(big));
        assertThat(filesUnder(work.resolve("h2-data").resolve("images")))
            .as("nothing half stored: the two images' blobs and nothing else")
            .hasSize(2)
            .allMatch(name -> name.matches("[0-9a-f]{64}"));

        targets.kill();
        targets.start().awaitReady(Duration.ofSeconds(180));
        assertThat(mount.waitFor(90, TimeUnit.SECONDS))
            .as("the companion's mount ends once the server lets the session go")
            .isTrue();
        assertThat(mount.exitValue()).as(Files.readString(mountErrors)).isEqualTo(7);
        assertThat(Files.readString(mountErrors)).contains("restarted");

        Processes.Result stray =
            Processes.run(
                client.command(
                    List.of(
                        curl,
                        "-s",
                        "-H",
                        "Authorization: Bearer " + token,
                        server + "/api/v1/targets")));
        assertThat(new JsonObject(stray.output()).getJsonArray("items"))
            .as("no target row is left")
            .isEmpty();
        assertThat(postgres.psql("SELECT count(*) FROM targets.targets").trim()).isEqualTo("0");
        assertThat(postgres.psql("SELECT state || ' ' || reason FROM sessions.sessions").trim())
            .startsWith("FAILED ")
            .contains("restarted");
      } catch (AssertionError | RuntimeException e) {
        throw DiscsProcess.withLogs(e, gateway, gateway2, images, targets);
      } finally {
        if (mount != null) {
          mount.destroyForcibly();
        }
        gateway.close();
        gateway2.close();
        targets.close();
        images.close();
      }
    }
  }

  /** A host's settings: the shared ones, its role's file from infra/cluster, its address. */
  private static Map<String, String> on(
      Map<String, String> common, Host host, String role, Path work) throws Exception {
    Map<String, String> env = new HashMap<>(common);
    env.putAll(envFile(role));
    env.put("DISCS_CLUSTER_HOST", host.address());
    env.put("DISCS_HTTP_HOST", host.address());
    env.put("DISCS_DATA_DIR", work.resolve(host.name() + "-data").toString());
    return env;
  }

  /** One of infra/cluster's env files, as compose reads it: KEY=VALUE lines, # comments. */
  private static Map<String, String> envFile(String name) throws Exception {
    Map<String, String> values = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("..", "infra", "cluster", name))) {
      String trimmed = line.strip();
      if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
        int equals = trimmed.indexOf('=');
        values.put(trimmed.substring(0, equals), trimmed.substring(equals + 1));
      }
    }
    return values;
  }

  private static void login(Host client, Path config, String server) throws Exception {
    Path password = config.resolveSibling(config.getFileName() + ".password");
    Files.writeString(password, PASSWORD);
    Processes.Result login =
        Processes.runWithInput(
            client.command(
                CompanionCli.command(
                    config, "login", "--server", server, "--user", "admin", "--password-stdin")),
            password);
    assertThat(login.exitCode()).as(login.output()).isZero();
  }

  /** Until the image node holds part of an upload, not all of it. */
  private static void awaitUploadUnderway(LocalPostgres postgres) {
    await("the upload under way")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                Long.parseLong(
                    postgres
                        .psql(
                            "SELECT coalesce(max(received), 0) FROM images.resumable_uploads"
                                + " WHERE image_id IS NULL")
                        .trim()),
            received -> received > 0);
  }

  private static List<String> filesUnder(Path dir) throws Exception {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()).toList();
    }
  }
}
