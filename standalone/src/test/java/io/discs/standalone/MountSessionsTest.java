package io.discs.standalone;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.testing.DiscImages;
import io.discs.testing.Processes;
import io.discs.testing.SystemTools;
import io.discs.testing.TgtdExtension;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * The mount flow end to end: a user mounts, reads, keeps the lease, walks away, and nothing stays.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(SideLane.WAITING_CLUSTERS)
class MountSessionsTest {
  private static final int LEASE = 10;
  private static final String INITIATOR = "iqn.2026-01.test.discs:laptop";
  @RegisterExtension static final TgtdExtension tgtd = new TgtdExtension();
  private static TestSystem system;
  private static String admin;
  private static String user;
  private static JsonObject image;

  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start(settings());
    admin = system.adminToken();
    system.createUser(admin, "olga", "operator-password", "operator");
    system.createUser(admin, "uma", "user-password-long", "user");
    Path iso = DiscImages.iso9660(dir.resolve("mount.iso"), "MOUNT_ME", 4 << 20, false, 77);
    image = system.uploadImage(system.token("olga", "operator-password"), "mount.iso", iso);
    user = system.token("uma", "user-password-long");
  }

  private static Map<String, String> settings() {
    Map<String, String> settings = tgtd.backendSettings();
    settings.putAll(
        Map.of(
            "DISCS_LEASE_SECONDS",
            String.valueOf(LEASE),
            "DISCS_HEARTBEAT_SECONDS",
            "3",
            "DISCS_REAPER_SECONDS",
            "1",
            "DISCS_MAX_SESSIONS_PER_USER",
            "3"));
    return settings;
  }

  @Test
  void aDriveIsRefusedByTheTgtBackendWhichSaysSo() throws Exception {
    var made =
        system
            .client
            .post("/api/v1/drives")
            .bearerTokenAuthentication(user)
            .sendJsonObject(
                new JsonObject()
                    .put("initiatorIqn", INITIATOR + "-drive")
                    .put("imageId", image.getString("id")))
            .await(30, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(made.statusCode()).as(made.bodyAsString()).isEqualTo(409);
    assertThat(made.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(made.bodyAsJsonObject().getString("detail"))
        .startsWith("the tgt backend cannot change a drive's disc");
    assertThat(system.items("/api/v1/drives", user).stream().map(JsonObject.class::cast))
        .noneMatch(drive -> "ACTIVE".equals(drive.getString("state")));
    assertThat(tgtd.show()).as("no half-made target").doesNotContain(":drive.");
  }

  @AfterAll
  static void stop() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void aSessionLivesOnHeartbeatsAndExpiresWhenTheyStop() throws Exception {
    JsonObject discovery = system.get("/api/v1/discovery", user).bodyAsJsonObject();
    assertThat(discovery.getJsonArray("portals").getList()).containsExactly(tgtd.portal());
    assertThat(discovery.getJsonArray("images").stream().map(i -> ((JsonObject) i).getString("id")))
        .contains(image.getString("id"));

    JsonObject session = startSession(user, INITIATOR);
    String id = session.getString("id");
    assertThat(session.getString("state")).isEqualTo("ACTIVE");
    assertThat(session.getInteger("heartbeatIntervalSeconds")).isEqualTo(3);
    String iqn = session.getJsonObject("target").getString("iqn");
    JsonObject chap = session.getJsonObject("chap");

    Path copy = dir.resolve("session.raw");
    Processes.Result read =
        Processes.run(
            List.of(
                SystemTools.require("qemu-img", "qemu-utils").toString(),
                "convert",
                "--image-opts",
                qemu(iqn, INITIATOR, chap),
                "-O",
                "raw",
                copy.toString()));
    assertThat(read.exitCode()).as(read.output()).isZero();
    assertThat(DiscImages.sha256(copy)).isEqualTo(image.getString("sha256"));
    assertThat(
            Processes.run(
                    List.of(
                        SystemTools.require("qemu-img", "qemu-utils").toString(),
                        "info",
                        "--image-opts",
                        qemu(iqn, "iqn.2026-01.test.discs:someone-else", chap)))
                .exitCode())
        .isNotZero();

    Process connected =
        new ProcessBuilder(
                SystemTools.require("qemu-io", "qemu-utils").toString(),
                "-r",
                "--image-opts",
                qemu(iqn, INITIATOR, chap),
                "-c",
                "sleep 8000")
            .redirectErrorStream(true)
            .start();
    try {
      JsonArray connections =
          await()
              .atMost(Duration.ofSeconds(6))
              .pollInterval(Duration.ofMillis(250))
              .until(
                  () ->
                      system
                          .get("/api/v1/sessions", user)
                          .bodyAsJsonObject()
                          .getJsonArray("items")
                          .stream()
                          .map(o -> (JsonObject) o)
                          .filter(s -> s.getString("id").equals(id))
                          .findFirst()
                          .orElseThrow()
                          .getJsonArray("connections"),
                  found -> !found.isEmpty());
      assertThat(connections).hasSize(1);
      assertThat(connections.getJsonObject(0).getString("initiatorIqn")).isEqualTo(INITIATOR);
      assertThat(connections.getJsonObject(0).getString("address")).isEqualTo("127.0.0.1");
      assertThat(connections.getJsonObject(0).getString("connectedSince")).isNotBlank();
    } finally {
      connected.destroyForcibly();
    }

    // Beating every 3 s keeps it through two leases: every beat is answered ACTIVE.
    await()
        .during(Duration.ofSeconds(2L * LEASE + 2))
        .atMost(Duration.ofSeconds(2L * LEASE + 30))
        .pollInterval(Duration.ofSeconds(3))
        .untilAsserted(
            () -> {
              HttpResponse<Buffer> beat = heartbeat(id, user);
              assertThat(beat.statusCode()).as(beat.bodyAsString()).isEqualTo(200);
              assertThat(beat.bodyAsJsonObject().getString("state")).isEqualTo("ACTIVE");
            });
    assertThat(state(id)).isEqualTo("ACTIVE");
    assertThat(tgtd.show()).contains(iqn);

    await()
        .atMost(Duration.ofSeconds(LEASE + 5))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> state(id), "EXPIRED"::equals);
    assertThat(tgtd.show()).doesNotContain(iqn);
    assertThat(
            Processes.run(
                    List.of(
                        SystemTools.require("iscsi-ls", "libiscsi-bin").toString(),
                        "-s",
                        "-i",
                        INITIATOR,
                        "iscsi://"
                            + chap.getString("username")
                            + "%"
                            + chap.getString("secret")
                            + "@"
                            + tgtd.portal()))
                .output())
        .doesNotContain(iqn);
    HttpResponse<Buffer> late = heartbeat(id, user);
    assertThat(late.statusCode()).isEqualTo(410);
    assertThat(late.getHeader("Content-Type")).isEqualTo("application/problem+json");

    List<String> story = auditTypesFor(id, iqn);
    assertThat(story)
        .containsSubsequence(
            "target.created", "session.started", "target.deleted", "session.expired");
  }

  @Test
  void endingASessionRemovesItsTargetAndOthersCannotTouchIt() throws Exception {
    JsonObject session = startSession(user, "iqn.2026-01.test.discs:ending");
    String id = session.getString("id");
    String iqn = session.getJsonObject("target").getString("iqn");
    system.createUser(admin, "vera", "another-user-password", "user");
    String other = system.token("vera", "another-user-password");

    assertThat(heartbeat(id, other).statusCode()).isEqualTo(404);
    assertThat(
            system
                .client
                .delete("/api/v1/sessions/" + id)
                .bearerTokenAuthentication(other)
                .send()
                .await(30, TimeUnit.SECONDS)
                .statusCode())
        .isEqualTo(404);
    assertThat(system.get("/api/v1/sessions", other).bodyAsJsonObject().getJsonArray("items"))
        .isEmpty();

    assertThat(
            system
                .client
                .delete("/api/v1/sessions/" + id)
                .bearerTokenAuthentication(user)
                .send()
                .await(30, TimeUnit.SECONDS)
                .statusCode())
        .isEqualTo(204);
    assertThat(state(id)).isEqualTo("ENDED");
    assertThat(tgtd.show()).doesNotContain(iqn);
    assertThat(heartbeat(id, user).statusCode()).isEqualTo(410);
  }

  @Test
  void everyViewOfASessionNamesTheLunTheBackendServesAndARemovedTargetFailsItsSession()
      throws Exception {
    JsonObject started = startSession(user, "iqn.2026-01.test.discs:removed");
    String id = started.getString("id");
    JsonObject listed =
        system.get("/api/v1/sessions", user).bodyAsJsonObject().getJsonArray("items").stream()
            .map(JsonObject.class::cast)
            .filter(s -> s.getString("id").equals(id))
            .findFirst()
            .orElseThrow();
    assertThat(started.getJsonObject("target").getInteger("lun")).isEqualTo(1); // tgt serves LUN 1
    assertThat(listed.getJsonObject("target").getInteger("lun")).isEqualTo(1);
    assertThat(listed.getJsonObject("target").getString("portal"))
        .isEqualTo(started.getJsonObject("target").getString("portal"));

    String targetId =
        system.get("/api/v1/targets", admin).bodyAsJsonObject().getJsonArray("items").stream()
            .map(JsonObject.class::cast)
            .filter(
                t -> t.getString("iqn").equals(started.getJsonObject("target").getString("iqn")))
            .findFirst()
            .orElseThrow()
            .getString("id");
    assertThat(
            system
                .client
                .delete("/api/v1/targets/" + targetId)
                .bearerTokenAuthentication(admin)
                .send()
                .await(30, TimeUnit.SECONDS)
                .statusCode())
        .isEqualTo(204);

    await().atMost(Duration.ofSeconds(10)).until(() -> state(id), "FAILED"::equals);
    assertThat(heartbeat(id, user).statusCode()).isEqualTo(410);
  }

  @Test
  void limitsActiveSessionsPerUserAndMarksFailedStarts() throws Exception {
    List<String> started = new ArrayList<>();
    try {
      system.createUser(admin, "wade", "wade-user-password", "user");
      String wade = system.token("wade", "wade-user-password");
      for (int i = 0; i < 3; i++) {
        started.add(startSessionAs(wade, "iqn.2026-01.test.discs:limit-" + i).getString("id"));
      }
      HttpResponse<Buffer> fourth =
          system
              .client
              .post("/api/v1/sessions")
              .bearerTokenAuthentication(wade)
              .sendJsonObject(
                  new JsonObject()
                      .put("imageId", image.getString("id"))
                      .put("initiatorIqn", "iqn.2026-01.test.discs:limit-3"))
              .await(30, TimeUnit.SECONDS);
      assertThat(fourth.statusCode()).isEqualTo(429);

      HttpResponse<Buffer> badName =
          system
              .client
              .post("/api/v1/sessions")
              .bearerTokenAuthentication(user)
              .sendJsonObject(
                  new JsonObject()
                      .put("imageId", image.getString("id"))
                      .put("initiatorIqn", "$(reboot)"))
              .await(30, TimeUnit.SECONDS);
      assertThat(badName.statusCode()).isEqualTo(400);
      for (String id : started) {
        system
            .client
            .delete("/api/v1/sessions/" + id)
            .bearerTokenAuthentication(wade)
            .send()
            .await(30, TimeUnit.SECONDS);
      }
    } finally {
      assertThat(tgtd.show()).doesNotContain("limit-");
    }
  }

  @Test
  void liveLeasesSurviveARestartOfTheServicesAndLapsedOnesAreReaped() throws Exception {
    JsonObject live = startSession(user, "iqn.2026-01.test.discs:restart-live");
    JsonObject lapsed = startSession(user, "iqn.2026-01.test.discs:restart-lapsed");
    String liveIqn = live.getJsonObject("target").getString("iqn");
    String lapsedIqn = lapsed.getJsonObject("target").getString("iqn");

    TestSystem restarted = system.restart(settings());
    try {
      String token = restarted.token("uma", "user-password-long");
      // The live one beats every 2 s for longer than a lease; the lapsed one does not.
      await()
          .during(Duration.ofSeconds(LEASE + 6))
          .atMost(Duration.ofSeconds(LEASE + 40))
          .pollInterval(Duration.ofSeconds(2))
          .untilAsserted(
              () ->
                  assertThat(
                          restarted
                              .client
                              .post("/api/v1/sessions/" + live.getString("id") + "/heartbeat")
                              .bearerTokenAuthentication(token)
                              .send()
                              .await(10, TimeUnit.SECONDS)
                              .statusCode())
                      .isEqualTo(200));
      JsonArray sessions =
          restarted.get("/api/v1/sessions", token).bodyAsJsonObject().getJsonArray("items");
      assertThat(stateIn(sessions, live.getString("id"))).isEqualTo("ACTIVE");
      assertThat(stateIn(sessions, lapsed.getString("id"))).isEqualTo("EXPIRED");
      assertThat(tgtd.show()).contains(liveIqn).doesNotContain(lapsedIqn);
      restarted
          .client
          .delete("/api/v1/sessions/" + live.getString("id"))
          .bearerTokenAuthentication(token)
          .send()
          .await(30, TimeUnit.SECONDS);
    } finally {
      system = restarted;
      admin = system.adminToken();
      user = system.token("uma", "user-password-long");
    }
  }

  @Test
  void theCompanionLogsInMountsWithoutAttachingAndUnmountsAtTheEnd() throws Exception {
    Path config = dir.resolve("companion");
    java.io.InputStream stdin = System.in;
    try {
      System.setIn(new java.io.ByteArrayInputStream("user-password-long\n".getBytes(UTF_8)));
      assertThat(
              companion(
                  new java.io.StringWriter(),
                  "--config-dir",
                  config.toString(),
                  "login",
                  "--server",
                  "http://127.0.0.1:" + system.discs.httpPort(),
                  "--user",
                  "uma",
                  "--password-stdin"))
          .isZero();
    } finally {
      System.setIn(stdin);
    }
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(config.resolve("credentials.json"))))
        .isEqualTo("rw-------");

    java.io.StringWriter images = new java.io.StringWriter();
    assertThat(companion(images, "--config-dir", config.toString(), "images")).isZero();
    assertThat(images.toString()).contains("mount.iso");

    java.io.StringWriter out = new java.io.StringWriter();
    java.util.concurrent.CompletableFuture<Integer> mount =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                companion(
                    out,
                    "--config-dir",
                    config.toString(),
                    "mount",
                    "mount.iso",
                    "--attach",
                    "none",
                    "--json",
                    "--initiator-iqn",
                    "iqn.2026-01.test.discs:companion",
                    "--heartbeats",
                    "2"));
    await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("\n"));
    JsonObject details = new JsonObject(out.toString().lines().findFirst().orElseThrow());
    Path copy = dir.resolve("companion.raw");
    Processes.Result read =
        Processes.run(
            List.of(
                SystemTools.require("qemu-img", "qemu-utils").toString(),
                "convert",
                "--image-opts",
                qemu(
                    details.getString("iqn"),
                    "iqn.2026-01.test.discs:companion",
                    details.getJsonObject("chap")),
                "-O",
                "raw",
                copy.toString()));
    assertThat(read.exitCode()).as(read.output()).isZero();
    assertThat(DiscImages.sha256(copy)).isEqualTo(image.getString("sha256"));

    assertThat(mount.get(60, TimeUnit.SECONDS)).isZero();
    assertThat(state(details.getString("sessionId"))).isEqualTo("ENDED");
    assertThat(tgtd.show()).doesNotContain(details.getString("iqn"));
  }

  private static int companion(java.io.StringWriter out, String... args) {
    return io.discs.companion.Companion.commandLine(
            new java.io.PrintWriter(out, true),
            new java.io.PrintWriter(
                new BufferedWriter(new OutputStreamWriter(System.err, UTF_8)), true))
        .execute(args);
  }

  private static JsonObject startSession(String token, String initiator) throws Exception {
    return startSessionAs(token, initiator);
  }

  private static JsonObject startSessionAs(String token, String initiator) throws Exception {
    HttpResponse<Buffer> response =
        system
            .client
            .post("/api/v1/sessions")
            .bearerTokenAuthentication(token)
            .sendJsonObject(
                new JsonObject()
                    .put("imageId", image.getString("id"))
                    .put("initiatorIqn", initiator))
            .await(60, TimeUnit.SECONDS);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  private static HttpResponse<Buffer> heartbeat(String id, String token) throws Exception {
    return system
        .client
        .post("/api/v1/sessions/" + id + "/heartbeat")
        .bearerTokenAuthentication(token)
        .send()
        .await(10, TimeUnit.SECONDS);
  }

  private static String state(String id) throws Exception {
    return stateIn(
        system.get("/api/v1/sessions", admin).bodyAsJsonObject().getJsonArray("items"), id);
  }

  private static String stateIn(JsonArray sessions, String id) {
    return sessions.stream()
        .map(o -> (JsonObject) o)
        .filter(s -> s.getString("id").equals(id))
        .findFirst()
        .map(s -> s.getString("state"))
        .orElse("MISSING");
  }

  /** Oldest first: the audit entries that name this session or its target. */
  private static List<String> auditTypesFor(String sessionId, String iqn) throws Exception {
    List<String> types = new ArrayList<>();
    for (Object o :
        system.get("/api/v1/audit?limit=1000", admin).bodyAsJsonObject().getJsonArray("items")) {
      JsonObject entry = (JsonObject) o;
      if (entry.encode().contains(sessionId) || entry.encode().contains(iqn)) {
        types.add(entry.getString("type"));
      }
    }
    Collections.reverse(types);
    return types;
  }

  private static String qemu(String iqn, String initiator, JsonObject chap) {
    return TestSystem.qemuIscsi(tgtd.portal(), iqn, 1, initiator, chap);
  }
}
