package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.testing.DiscImages;
import io.discs.testing.Podman;
import io.discs.testing.Processes;
import io.discs.testing.SystemTools;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * infra/compose.yaml as an operator starts it: Debian's docker-compose against podman's
 * Docker-compatible API, PostgreSQL and Prometheus from images built here from Debian's packages
 * (their names are the compose file's variables; the defaults stay the public images), the three
 * discs roles built from the Dockerfile. The companion on the host logs in, uploads and mounts
 * ({@code --attach none}); qemu-img reads the target; Prometheus scrapes every node; {@code down}
 * and {@code up} keep users, images and the audit chain. Grafana stays out: no image of it can be
 * built here.
 */
class ComposeIT {
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final String POSTGRES_IMAGE = "localhost/discs-postgres:15";
  private static final String PROMETHEUS_IMAGE = "localhost/discs-prometheus:2";
  private static final String PASSWORD = "compose-admin-password-1";
  private static final String INITIATOR = "iqn.2026-12.test.discs:compose-host";
  private static final List<String> SERVICES =
      List.of("postgres", "gateway", "images", "targets", "prometheus");

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theComposeClusterComesUpServesAMountAndKeepsItsStateAcrossDownAndUp() throws Exception {
    assertThat(Path.of("target", "discs-standalone.jar")).exists();
    Podman podman = Podman.require(dir.resolve("podman"));
    String base = podman.debianJre(dir);
    String entrypoint;
    try (InputStream script =
        getClass().getResourceAsStream("/containers/postgres-entrypoint.sh")) {
      entrypoint = new String(script.readAllBytes(), StandardCharsets.UTF_8);
    }
    String path = "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    podman.debianImages(
        dir,
        "postgresql,prometheus",
        Map.of("usr/local/bin/docker-entrypoint.sh", entrypoint, "prometheus/README", "its data\n"),
        Map.of(
            POSTGRES_IMAGE,
            List.of(
                path,
                "ENV PGDATA=/var/lib/postgresql/data",
                "ENTRYPOINT [\"/usr/local/bin/docker-entrypoint.sh\"]"),
            PROMETHEUS_IMAGE,
            List.of(path, "WORKDIR /prometheus", "ENTRYPOINT [\"/usr/bin/prometheus\"]")));

    Path socket = dir.resolve("podman.sock");
    List<String> service = new ArrayList<>(List.of("podman", "system", "service", "--time=0"));
    service.add("unix://" + socket);
    ProcessBuilder api =
        new ProcessBuilder(service)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("podman-service.log").toFile());
    api.environment().putAll(podman.environment());
    Process engine = api.start();
    String project = "discsit" + UUID.randomUUID().toString().substring(0, 6);
    int httpPort = freePort();
    int iscsiPort = freePort();
    int prometheusPort = freePort();
    Map<String, String> env = new HashMap<>(podman.environment());
    env.put("DOCKER_HOST", "unix://" + socket);
    env.put("COMPOSE_PROJECT_NAME", project);
    env.put(
        "DISCS_CLUSTER_SECRET", HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes()));
    env.put("DISCS_BASE_IMAGE", base);
    env.put("DISCS_POSTGRES_IMAGE", POSTGRES_IMAGE);
    env.put("DISCS_PROMETHEUS_IMAGE", PROMETHEUS_IMAGE);
    env.put("DISCS_HTTP_PUBLISH", String.valueOf(httpPort));
    env.put("DISCS_ISCSI_PUBLISH", String.valueOf(iscsiPort));
    env.put("DISCS_PROMETHEUS_PUBLISH", String.valueOf(prometheusPort));
    env.put("DISCS_ISCSI_PORTAL", "127.0.0.1:" + iscsiPort);
    env.put("DISCS_ADMIN_PASSWORD", PASSWORD);
    Compose compose = new Compose(env);
    ScheduledExecutorService health = healthChecks(podman, project);
    try {
      awaitSocket(socket, engine);
      compose.check(Duration.ofMinutes(15), "up", "-d", "--build");
      String server = "http://127.0.0.1:" + httpPort;
      awaitReady(server, podman, project);

      Path config = dir.resolve("companion");
      login(config, server);
      Path iso = DiscImages.iso9660(dir.resolve("compose.iso"), "COMPOSE", 4 << 20, false, 31);
      Processes.Result upload =
          Processes.run(
              CompanionCli.command(config, "upload", iso.toString(), "--json"),
              Duration.ofMinutes(2));
      assertThat(upload.exitCode()).as(upload.output()).isZero();
      JsonObject image = new JsonObject(CompanionCli.lastLine(upload.output()));
      assertThat(image.getString("sha256")).isEqualTo(DiscImages.sha256(iso));

      Process mount =
          new ProcessBuilder(
                  CompanionCli.command(
                      config,
                      "mount",
                      image.getString("id"),
                      "--attach",
                      "none",
                      "--json",
                      "--initiator-iqn",
                      INITIATOR))
              .redirectError(dir.resolve("mount.err").toFile())
              .start();
      try {
        BufferedReader mounted =
            new BufferedReader(
                new InputStreamReader(mount.getInputStream(), StandardCharsets.UTF_8));
        JsonObject session =
            new JsonObject(
                CompletableFuture.supplyAsync(() -> CompanionCli.readLine(mounted))
                    .get(120, TimeUnit.SECONDS));
        assertThat(session.getString("portal")).isEqualTo("127.0.0.1:" + iscsiPort);
        Path copy = dir.resolve("read.raw");
        Processes.Result read =
            Processes.run(
                List.of(
                    SystemTools.require("qemu-img", "qemu-utils").toString(),
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
                    copy.toString()),
                Duration.ofMinutes(2));
        assertThat(read.exitCode()).as(read.output()).isZero();
        assertThat(DiscImages.sha256(copy)).isEqualTo(DiscImages.sha256(iso));
      } finally {
        mount.destroy();
        mount.waitFor(30, TimeUnit.SECONDS);
      }

      assertThat(scrapedNodes("http://127.0.0.1:" + prometheusPort))
          .as("Prometheus's discs targets that are up")
          .containsExactlyInAnyOrder("gateway:9090", "images:9090", "targets:9090");

      String token = CompanionCli.adminToken(http, server, PASSWORD);
      int auditRows = get(server, token, "/api/v1/audit?limit=1000").getJsonArray("items").size();
      compose.check(Duration.ofMinutes(5), "down");
      compose.check(Duration.ofMinutes(10), "up", "-d");
      awaitReady(server, podman, project);
      String again = CompanionCli.adminToken(http, server, PASSWORD);
      assertThat(
              get(server, again, "/api/v1/images").getJsonArray("items").stream()
                  .map(o -> ((JsonObject) o).getString("sha256")))
          .contains(image.getString("sha256"));
      assertThat(get(server, again, "/api/v1/audit?limit=1000").getJsonArray("items").size())
          .isGreaterThanOrEqualTo(auditRows);
      JsonObject chain = get(server, again, "/api/v1/audit/verify");
      assertThat(chain.getBoolean("intact")).as(chain.encode()).isTrue();
    } catch (Throwable failure) {
      throw new AssertionError(failure.getMessage() + "\n" + compose.logs(), failure);
    } finally {
      health.shutdownNow();
      compose.run(Duration.ofMinutes(5), "down", "-v", "--rmi", "local");
      engine.destroy();
      engine.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * podman runs health checks from systemd timers, and this machine has no systemd: without this
   * loop no container ever turns healthy and compose waits for PostgreSQL for ever. It does what
   * the timer would, every few seconds, for the project's containers.
   */
  private static ScheduledExecutorService healthChecks(Podman podman, String project) {
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "compose-health-checks");
              thread.setDaemon(true);
              return thread;
            });
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            String names =
                podman
                    .run(
                        MINUTE,
                        "ps",
                        "--filter",
                        "label=com.docker.compose.project=" + project,
                        "--format",
                        "{{.Names}}")
                    .output();
            for (String name : names.lines().filter(n -> !n.isBlank()).toList()) {
              podman.run(MINUTE, "healthcheck", "run", name.strip());
            }
          } catch (Exception e) {
            // the next round tries again
          }
        },
        0,
        3,
        TimeUnit.SECONDS);
    return timer;
  }

  /** docker-compose on infra/compose.yaml, for the services this test starts. */
  private static final class Compose {
    private final Map<String, String> env;

    Compose(Map<String, String> env) {
      this.env = env;
    }

    Processes.Result run(Duration timeout, String... args) throws Exception {
      List<String> command =
          new ArrayList<>(
              List.of(
                  SystemTools.require("docker-compose", "docker-compose").toString(),
                  "-f",
                  Path.of("..", "infra", "compose.yaml").toAbsolutePath().normalize().toString()));
      command.addAll(List.of(args));
      if (args[0].equals("up")) {
        command.addAll(SERVICES);
      }
      return Processes.run(command, env, timeout);
    }

    void check(Duration timeout, String... args) throws Exception {
      Processes.Result result = run(timeout, args);
      if (!result.ok()) {
        throw new IllegalStateException(
            "docker-compose " + String.join(" ", args) + ":\n" + result.output());
      }
    }

    String logs() {
      try {
        String logs = run(MINUTE, "logs", "--no-color", "--tail", "60").output();
        return logs.length() > 20_000 ? logs.substring(logs.length() - 20_000) : logs;
      } catch (Exception e) {
        return "(no logs: " + e + ")";
      }
    }
  }

  /**
   * Until the three discs containers are healthy (their HEALTHCHECK asks /ready on the operations
   * listener, which the compose file does not publish) and the API signs the admin in.
   */
  private void awaitReady(String server, Podman podman, String project) {
    await("the cluster healthy and signing the admin in")
        .atMost(Duration.ofMinutes(5))
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              for (String role : List.of("gateway", "images", "targets")) {
                assertThat(
                        podman
                            .run(
                                MINUTE,
                                "inspect",
                                "--format",
                                "{{.State.Health.Status}}",
                                project + "_" + role + "_1")
                            .output()
                            .strip())
                    .as(role)
                    .isEqualTo("healthy");
              }
              CompanionCli.adminToken(http, server, PASSWORD);
            });
  }

  /** The discs scrape targets Prometheus reports up, waited for over a few scrape intervals. */
  private List<String> scrapedNodes(String prometheus) {
    return await("three discs nodes scraped")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(2))
        .ignoreExceptions()
        .until(
            () ->
                new JsonObject(
                        http.send(
                                HttpRequest.newBuilder(URI.create(prometheus + "/api/v1/targets"))
                                    .build(),
                                HttpResponse.BodyHandlers.ofString())
                            .body())
                    .getJsonObject("data").getJsonArray("activeTargets").stream()
                        .map(JsonObject.class::cast)
                        .filter(t -> "up".equals(t.getString("health")))
                        .map(t -> t.getJsonObject("labels").getString("instance"))
                        .toList(),
            up -> up.size() == 3);
  }

  private JsonObject get(String server, String token, String path) throws Exception {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create(server + path))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(path + " " + answer.body()).isEqualTo(200);
    return new JsonObject(answer.body());
  }

  private void login(Path config, String server) throws Exception {
    Path password = dir.resolve("password");
    Files.writeString(password, PASSWORD);
    Processes.Result login =
        Processes.runWithInput(
            CompanionCli.command(
                config, "login", "--server", server, "--user", "admin", "--password-stdin"),
            password);
    assertThat(login.exitCode()).as(login.output()).isZero();
  }

  private static void awaitSocket(Path socket, Process engine) throws Exception {
    await("podman's API socket")
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              if (!engine.isAlive()) {
                throw new IllegalStateException("podman system service stopped");
              }
              return Files.exists(socket);
            });
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
