package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.testing.DiscImages;
import io.discs.testing.Processes;
import io.discs.testing.SystemTools;
import io.discs.testing.TempDirs;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A person's drive through the API, read by QEMU's iSCSI initiator: one target, empty, then disc A,
 * no disc, disc B; a disc that is in cannot be deleted; the drive ends like a session.
 */
class DrivesTest {
  private static final String PASSWORD = "a long enough password";
  private static final String INITIATOR = "iqn.2026-12.test.discs:drive-owner";
  private TestSystem system;

  @AfterEach
  void stop() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void aDriveKeepsItsTargetWhileDiscsGoInAndOut() throws Exception {
    String qemuImg = SystemTools.require("qemu-img", "qemu-utils").toString();
    system = TestSystem.start(Map.of());
    String admin = system.adminToken();
    system.createUser(admin, "uma", PASSWORD, "user");
    system.createUser(admin, "vera", PASSWORD, "user");
    system.createUser(admin, "olga", PASSWORD, "operator");
    Path dir = TempDirs.create("drives");
    JsonObject a =
        system.uploadImage(
            admin, "a.iso", DiscImages.iso9660(dir.resolve("a.iso"), "DISC_A", 2 << 20, false, 1));
    JsonObject b =
        system.uploadImage(
            admin, "b.iso", DiscImages.iso9660(dir.resolve("b.iso"), "DISC_B", 3 << 20, true, 2));
    String uma = system.token("uma", PASSWORD);
    String olga = system.token("olga", PASSWORD);

    HttpResponse<Buffer> made =
        post("/api/v1/drives", uma, new JsonObject().put("initiatorIqn", INITIATOR));
    assertThat(made.statusCode()).as(made.bodyAsString()).isEqualTo(201);
    JsonObject drive = made.bodyAsJsonObject();
    String id = drive.getString("id");
    assertThat(made.getHeader("Location")).isEqualTo("/api/v1/drives/" + id);
    assertThat(drive.getBoolean("inserted")).isFalse();
    assertThat(drive.getString("deviceType")).isEqualTo("cdrom");
    JsonObject target = drive.getJsonObject("target");
    JsonObject chap = drive.getJsonObject("chap");
    String opts =
        TestSystem.qemuIscsi(
            target.getString("portal"),
            target.getString("iqn"),
            target.getInteger("lun"),
            INITIATOR,
            chap);
    assertThat(Processes.run(List.of(qemuImg, "info", "--image-opts", opts)).exitCode())
        .as("an empty drive has no medium to read")
        .isNotZero();

    HttpResponse<Buffer> inserted =
        post(
            "/api/v1/drives/" + id + "/insert",
            uma,
            new JsonObject().put("imageId", a.getString("id")));
    assertThat(inserted.statusCode()).as(inserted.bodyAsString()).isEqualTo(200);
    assertThat(inserted.bodyAsJsonObject().getString("imageId")).isEqualTo(a.getString("id"));
    assertThat(inserted.bodyAsJsonObject().getBoolean("inserted")).isTrue();
    TestSystem.assertReadsWhole(qemuImg, opts, dir.resolve("read-a.raw"), a.getString("sha256"));

    HttpResponse<Buffer> refused = delete("/api/v1/images/" + a.getString("id"), olga);
    assertThat(refused.statusCode()).as("a disc in a drive stays in the library").isEqualTo(409);
    assertThat(
            post(
                    "/api/v1/drives/" + id + "/insert",
                    system.token("vera", PASSWORD),
                    new JsonObject().put("imageId", b.getString("id")))
                .statusCode())
        .as("another person's drive")
        .isEqualTo(404);

    HttpResponse<Buffer> ejected = post("/api/v1/drives/" + id + "/eject", uma, null);
    assertThat(ejected.statusCode()).as(ejected.bodyAsString()).isEqualTo(200);
    assertThat(ejected.bodyAsJsonObject().getBoolean("inserted")).isFalse();
    assertThat(Processes.run(List.of(qemuImg, "info", "--image-opts", opts)).exitCode())
        .isNotZero();
    assertThat(delete("/api/v1/images/" + a.getString("id"), olga).statusCode())
        .as("ejected, it may go")
        .isEqualTo(204);

    assertThat(
            post(
                    "/api/v1/drives/" + id + "/insert",
                    uma,
                    new JsonObject().put("imageId", b.getString("id")))
                .statusCode())
        .isEqualTo(200);
    TestSystem.assertReadsWhole(qemuImg, opts, dir.resolve("read-b.raw"), b.getString("sha256"));
    JsonObject now = system.get("/api/v1/drives/" + id, uma).bodyAsJsonObject();
    assertThat(now.getString("imageId")).isEqualTo(b.getString("id"));
    assertThat(now.getJsonObject("target").getString("iqn")).isEqualTo(target.getString("iqn"));
    assertThat(now.getJsonObject("chap")).as("to its owner").isNotNull();
    assertThat(items("/api/v1/drives", uma)).hasSize(1);
    assertThat(items("/api/v1/drives", olga)).as("operators see everyone's").hasSize(1);
    assertThat(items("/api/v1/sessions", uma)).as("drives are not mounts").isEmpty();

    assertThat(delete("/api/v1/drives/" + id, uma).statusCode()).isEqualTo(204);
    assertThat(system.get("/api/v1/drives/" + id, uma).bodyAsJsonObject().getString("state"))
        .isEqualTo("ENDED");
    assertThat(Processes.run(List.of(qemuImg, "info", "--image-opts", opts)).exitCode())
        .as("the drive's target is gone")
        .isNotZero();
    assertThat(post("/api/v1/drives/" + id + "/eject", uma, null).statusCode()).isEqualTo(410);

    JsonArray log = items("/api/v1/audit?limit=1000", admin);
    List<String> types = log.stream().map(e -> ((JsonObject) e).getString("type")).toList();
    assertThat(types).contains("drive.inserted", "drive.ejected");
    assertThat(types.stream().filter("drive.inserted"::equals)).hasSize(2);
    String metrics = system.get("/metrics", admin).bodyAsString();
    assertThat(metrics)
        .contains("discs_drives_disc_changes_total{change=\"inserted\"} 2.0")
        .contains("discs_drives_disc_changes_total{change=\"ejected\"} 1.0");
  }

  @Test
  void theCompanionAttachesADriveOnceAndChangesItsDiscFromAnotherTerminal() throws Exception {
    String qemuImg = SystemTools.require("qemu-img", "qemu-utils").toString();
    system = TestSystem.start(Map.of());
    String admin = system.adminToken();
    system.createUser(admin, "uma", PASSWORD, "user");
    Path dir = TempDirs.create("companion-drive");
    JsonObject a =
        system.uploadImage(
            admin, "a.iso", DiscImages.iso9660(dir.resolve("a.iso"), "DISC_A", 2 << 20, false, 3));
    Path config = dir.resolve("companion");
    Path password = dir.resolve("password");
    java.nio.file.Files.writeString(password, PASSWORD);
    String server = "http://127.0.0.1:" + system.discs.httpPort();
    Processes.Result login =
        Processes.runWithInput(
            CompanionCli.command(
                config, "login", "--server", server, "--user", "uma", "--password-stdin"),
            password);
    assertThat(login.exitCode()).as(login.output()).isZero();

    Process attached =
        new ProcessBuilder(
                CompanionCli.command(
                    config,
                    "drive",
                    "attach",
                    "--attach",
                    "none",
                    "--json",
                    "--initiator-iqn",
                    INITIATOR))
            .redirectError(dir.resolve("attach.err").toFile())
            .start();
    try {
      java.io.BufferedReader lines =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  attached.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      JsonObject details =
          new JsonObject(
              java.util.concurrent.CompletableFuture.supplyAsync(() -> CompanionCli.readLine(lines))
                  .get(60, TimeUnit.SECONDS));
      String id = details.getString("sessionId");
      String opts =
          TestSystem.qemuIscsi(
              details.getString("portal"),
              details.getString("iqn"),
              details.getInteger("lun"),
              INITIATOR,
              details.getJsonObject("chap"));

      Processes.Result insert =
          Processes.run(CompanionCli.command(config, "drive", "insert", id, "a.iso"));
      assertThat(insert.exitCode()).as(insert.output()).isZero();
      assertThat(insert.output())
          .as(system.get("/api/v1/drives/" + id, system.token("uma", PASSWORD)).bodyAsString())
          .contains("disc      a.iso");
      TestSystem.assertReadsWhole(qemuImg, opts, dir.resolve("read.raw"), a.getString("sha256"));
      Processes.Result status = Processes.run(CompanionCli.command(config, "drive", "status"));
      assertThat(status.output()).contains(id).contains(" in ");
      Processes.Result eject = Processes.run(CompanionCli.command(config, "drive", "eject", id));
      assertThat(eject.exitCode()).as(eject.output()).isZero();
      assertThat(eject.output()).contains("disc      none");
      Processes.Result unknown =
          Processes.run(CompanionCli.command(config, "drive", "insert", id, "nothing.iso"));
      assertThat(unknown.exitCode()).isEqualTo(2);
      assertThat(unknown.output().strip()).startsWith("discs-companion: no image 'nothing.iso'");

      // Stopped (SIGTERM: a SIGINT may be ignored by whatever started the build, and a JVM keeps
      // an ignored SIGINT ignored), the drive ends with the process that keeps it.
      attached.destroy();
      assertThat(attached.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(
              system
                  .get("/api/v1/drives/" + id, system.token("uma", PASSWORD))
                  .bodyAsJsonObject()
                  .getString("state"))
          .isEqualTo("ENDED");
    } finally {
      attached.destroyForcibly();
    }
  }

  @Test
  void aDriveWhoseHeartbeatsStopIsReapedAndItsDiscFreed() throws Exception {
    system =
        TestSystem.start(
            Map.of(
                "DISCS_LEASE_SECONDS", "10",
                "DISCS_HEARTBEAT_SECONDS", "3",
                "DISCS_REAPER_SECONDS", "1"));
    String admin = system.adminToken();
    system.createUser(admin, "uma", PASSWORD, "user");
    Path dir = TempDirs.create("drive-reaped");
    JsonObject a =
        system.uploadImage(
            admin, "a.iso", DiscImages.iso9660(dir.resolve("a.iso"), "DISC_A", 2 << 20, false, 4));
    String uma = system.token("uma", PASSWORD);
    HttpResponse<Buffer> made =
        post(
            "/api/v1/drives",
            uma,
            new JsonObject().put("initiatorIqn", INITIATOR).put("imageId", a.getString("id")));
    assertThat(made.statusCode()).as(made.bodyAsString()).isEqualTo(201);
    String id = made.bodyAsJsonObject().getString("id");
    assertThat(delete("/api/v1/images/" + a.getString("id"), admin).statusCode())
        .as("a disc in a drive stays in the library")
        .isEqualTo(409);

    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(25))
        .pollInterval(java.time.Duration.ofMillis(500))
        .until(
            () -> system.get("/api/v1/drives/" + id, uma).bodyAsJsonObject().getString("state"),
            "EXPIRED"::equals);
    assertThat(items("/api/v1/targets", admin)).isEmpty();
    assertThat(delete("/api/v1/images/" + a.getString("id"), admin).statusCode()).isEqualTo(204);
  }

  private HttpResponse<Buffer> post(String path, String token, JsonObject body) throws Exception {
    var request = system.client.post(path).bearerTokenAuthentication(token);
    return (body == null ? request.send() : request.sendJsonObject(body))
        .await(60, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> delete(String path, String token) throws Exception {
    return system
        .client
        .delete(path)
        .bearerTokenAuthentication(token)
        .send()
        .await(30, TimeUnit.SECONDS);
  }

  private JsonArray items(String path, String token) throws Exception {
    return system.items(path, token);
  }
}
