package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.testing.DiscImages;
import io.discs.testing.Podman;
import io.discs.testing.Processes;
import io.discs.testing.SystemTools;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server image as an operator runs it: infra/docker/Dockerfile built with podman on a Java 17
 * base made from Debian's packages, run with its volume and published ports; then stopped, run
 * again read-only on the same volume, and killed in the middle of a mount.
 */
class ContainerIT {
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final String IMAGE = "localhost/discs:it";
  private static final String INITIATOR = "iqn.2026-12.test.discs:container-host";

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final String volume = "discs-it-" + UUID.randomUUID().toString().substring(0, 8);
  private final String container = volume + "-server";
  private Podman podman;
  private int apiPort;
  private int portalPort;

  @AfterEach
  void removeContainerAndVolume() throws Exception {
    if (podman != null) {
      podman.run(MINUTE, "rm", "-f", "-t", "0", container);
      podman.run(MINUTE, "volume", "rm", "-f", volume);
    }
  }

  @Test
  void theImageServesDiscsAsANonRootUserAndKeepsItsLibraryAcrossStopsAndKills() throws Exception {
    Path jar = Path.of("target", "discs-standalone.jar").toAbsolutePath();
    assertThat(jar).as("run with ./mvnw verify, which builds the jar first").exists();
    podman = Podman.require(dir.resolve("podman"));
    String base = podman.debianJre(dir);
    podman.check(
        Duration.ofMinutes(10),
        "build",
        "--format",
        "docker",
        "--build-arg",
        "BASE_IMAGE=" + base,
        "-f",
        "infra/docker/Dockerfile",
        "-t",
        IMAGE,
        Path.of("..").toAbsolutePath().normalize().toString());

    JsonObject inspected =
        new JsonArray(podman.check(MINUTE, "image", "inspect", IMAGE)).getJsonObject(0);
    JsonObject config = inspected.getJsonObject("Config");
    assertThat(config.getString("User")).isEqualTo("10001:10001");
    assertThat(inspected.getJsonObject("Healthcheck").getJsonArray("Test").encode())
        .contains("/ready");
    assertThat(config.getJsonObject("ExposedPorts").fieldNames())
        .containsExactlyInAnyOrder("8080/tcp", "3260/tcp");
    String size = podman.check(MINUTE, "image", "inspect", "--format", "{{.Size}}", IMAGE).strip();

    apiPort = freePort();
    portalPort = freePort();
    start();
    assertThat(podman.run(MINUTE, "healthcheck", "run", container).exitCode()).isZero();
    assertThat(podman.check(MINUTE, "exec", container, "stat", "-c", "%u", "/proc/1").strip())
        .as("the server process's user")
        .isEqualTo("10001");
    assertThat(
            podman
                .check(
                    MINUTE,
                    "exec",
                    container,
                    "stat",
                    "-c",
                    "%a %u",
                    "/var/lib/discs/initial-admin-password")
                .strip())
        .isEqualTo("600 10001");
    String password =
        podman
            .check(MINUTE, "exec", container, "cat", "/var/lib/discs/initial-admin-password")
            .strip();
    String token = token(password);

    Path iso = DiscImages.iso9660(dir.resolve("disc.iso"), "BOX", 4 << 20, false, 30);
    HttpResponse<String> upload =
        http.send(
            HttpRequest.newBuilder(api("/api/v1/images?name=box.iso"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofFile(iso))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
    JsonObject image = new JsonObject(upload.body());
    JsonObject target =
        post(
            token,
            "/api/v1/targets",
            new JsonObject().put("imageId", image.getString("id")).put("initiatorIqn", INITIATOR));
    Path copy = dir.resolve("copy.raw");
    Processes.Result convert =
        Processes.run(
            List.of(
                SystemTools.require("qemu-img", "qemu-utils").toString(),
                "convert",
                "--image-opts",
                qemu(target),
                "-O",
                "raw",
                copy.toString()),
            Duration.ofMinutes(2));
    assertThat(convert.exitCode()).as(convert.output()).isZero();
    assertThat(DiscImages.sha256(copy)).isEqualTo(DiscImages.sha256(iso));
    int auditBefore = audit(token).size();

    long began = System.nanoTime();
    podman.check(MINUTE, "stop", "-t", "10", container);
    long stopMs = (System.nanoTime() - began) / 1_000_000;
    assertThat(stopMs).as("podman stop took %d ms", stopMs).isLessThan(10_000);
    String exitCode =
        podman.check(MINUTE, "inspect", "--format", "{{.State.ExitCode}}", container).strip();
    podman.check(MINUTE, "rm", container);
    Files.writeString(
        Path.of("target", "container-image.txt"),
        String.format(
            "image %s on %s: %d MiB; podman stop: %d ms, exit code %s%n",
            IMAGE, base, Long.parseLong(size) / (1 << 20), stopMs, exitCode));

    // A second container on the same volume, with a read-only root file system.
    start("--read-only", "--tmpfs", "/tmp");
    String again = token(password);
    JsonArray images = get(again, "/api/v1/images").getJsonArray("items");
    assertThat(images.stream().map(o -> ((JsonObject) o).getString("sha256")))
        .contains(image.getString("sha256"));
    JsonArray audit = audit(again);
    assertThat(audit.size())
        .as("audit rows after the stop (exit code %s)", exitCode)
        .isGreaterThanOrEqualTo(auditBefore);
    assertThat(audit.stream().map(o -> ((JsonObject) o).getString("type")))
        .contains("image.uploaded", "target.created");

    // Killed in the middle of a mount: the session ends with its reason, its target is not
    // served after the restart, the library is intact.
    JsonObject session =
        post(
            again,
            "/api/v1/sessions",
            new JsonObject().put("imageId", image.getString("id")).put("initiatorIqn", INITIATOR));
    JsonObject mounted =
        session
            .getJsonObject("target")
            .copy()
            .put("chap", session.getJsonObject("chap"))
            .put("lun", session.getJsonObject("target").getInteger("lun"));
    assertThat(info(mounted).exitCode()).isZero();
    podman.check(MINUTE, "kill", "-s", "KILL", container);
    podman.check(MINUTE, "start", container);
    awaitReady();
    String third = token(password);
    // The restarted target node tells session-service its earlier start's targets are gone.
    JsonObject ended =
        await("the session ended by the restart")
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    get(third, "/api/v1/sessions").getJsonArray("items").stream()
                        .map(JsonObject.class::cast)
                        .filter(s -> s.getString("id").equals(session.getString("id")))
                        .findFirst()
                        .orElseThrow(),
                s -> !s.getString("state").equals("ACTIVE"));
    assertThat(ended.getString("state")).as(ended.encode()).isIn("FAILED", "ENDED", "EXPIRED");
    assertThat(ended.getString("reason")).as(ended.encode()).isNotBlank();
    assertThat(info(mounted).exitCode()).as("the killed session's target").isNotZero();
    Path after = dir.resolve("after.iso");
    HttpResponse<Path> content =
        http.send(
            HttpRequest.newBuilder(api("/api/v1/images/" + image.getString("id") + "/content"))
                .header("Authorization", "Bearer " + third)
                .build(),
            HttpResponse.BodyHandlers.ofFile(after));
    assertThat(content.statusCode()).isEqualTo(200);
    assertThat(DiscImages.sha256(after)).isEqualTo(DiscImages.sha256(iso));
  }

  private void start(String... options) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "run",
                "-d",
                "--name",
                container,
                "-p",
                "127.0.0.1:" + apiPort + ":8080",
                "-p",
                "127.0.0.1:" + portalPort + ":3260",
                "-e",
                "DISCS_ISCSI_PORTAL=127.0.0.1:" + portalPort,
                "-v",
                volume + ":/var/lib/discs"));
    args.addAll(List.of(options));
    args.add(IMAGE);
    podman.check(MINUTE, args.toArray(String[]::new));
    awaitReady();
  }

  private void awaitReady() throws Exception {
    try {
      await("the container ready")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptionsInstanceOf(java.io.IOException.class)
          .until(
              () ->
                  http.send(
                          HttpRequest.newBuilder(api("/ready"))
                              .timeout(Duration.ofSeconds(5))
                              .build(),
                          HttpResponse.BodyHandlers.ofString())
                      .statusCode(),
              status -> status == 200);
    } catch (org.awaitility.core.ConditionTimeoutException notReady) {
      throw new AssertionError(
          "not ready within 120 s:\n" + podman.run(MINUTE, "logs", container).output());
    }
  }

  private Processes.Result info(JsonObject target) throws Exception {
    return Processes.run(
        List.of(
            SystemTools.require("qemu-img", "qemu-utils").toString(),
            "info",
            "--image-opts",
            qemu(target)),
        Duration.ofMinutes(1));
  }

  private String qemu(JsonObject target) {
    return TestSystem.qemuIscsi(
        "127.0.0.1:" + portalPort,
        target.getString("iqn"),
        target.getInteger("lun"),
        INITIATOR,
        target.getJsonObject("chap"));
  }

  private String token(String password) throws Exception {
    return post(
            null,
            "/api/v1/auth/token",
            new JsonObject().put("username", "admin").put("password", password))
        .getString("access_token");
  }

  private JsonArray audit(String token) throws Exception {
    return get(token, "/api/v1/audit?limit=500").getJsonArray("items");
  }

  private JsonObject get(String token, String path) throws Exception {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(api(path)).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(path + " " + answer.body()).isEqualTo(200);
    return new JsonObject(answer.body());
  }

  private JsonObject post(String token, String path, JsonObject body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(api(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(path + " " + answer.body()).isIn(200, 201);
    return new JsonObject(answer.body());
  }

  private URI api(String path) {
    return URI.create("http://127.0.0.1:" + apiPort + path);
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
