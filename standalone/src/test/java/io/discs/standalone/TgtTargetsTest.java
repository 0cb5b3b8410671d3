package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.testing.DiscImages;
import io.discs.testing.Processes;
import io.discs.testing.SystemTools;
import io.discs.testing.TgtdExtension;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Targets through the API on a real tgtd, read by real initiators (libiscsi, QEMU). */
class TgtTargetsTest {
  private static final String INITIATOR = "iqn.2026-01.test.discs:client-a";
  @RegisterExtension static final TgtdExtension tgtd = new TgtdExtension();
  private static TestSystem system;
  private static String operator;
  private static JsonObject image;
  private static Path imageFile;

  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> settings = tgtd.backendSettings();
    settings.put("DISCS_RECONCILE_SECONDS", "2");
    system = TestSystem.start(settings);
    String admin = system.adminToken();
    system.createUser(admin, "oscar", "operator-password", "operator");
    operator = system.token("oscar", "operator-password");
    imageFile = DiscImages.iso9660(dir.resolve("tgt.iso"), "TGT_TEST", 4 << 20, false, 42);
    image = system.uploadImage(operator, "tgt.iso", imageFile);
  }

  @AfterAll
  static void stop() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void aCreatedTargetIsReadableByItsInitiatorWithItsChapAndNobodyElse() throws Exception {
    JsonObject target = createTarget(INITIATOR, "disk");
    String iqn = target.getString("iqn");
    JsonObject chap = target.getJsonObject("chap");
    assertThat(target.getBoolean("readOnly")).isTrue();
    assertThat(target.getString("portal")).isEqualTo(tgtd.portal());
    assertThat(target.getInteger("lun")).isEqualTo(1);
    assertThat(iqn).startsWith("iqn.2026-01.io.discs:");
    assertThat(chap.getString("secret")).hasSizeBetween(12, 16);

    assertThat(iscsiLs(INITIATOR, chap.getString("username"), chap.getString("secret")).output())
        .contains(iqn);

    Path copy = dir.resolve("copy.raw");
    Processes.Result convert =
        Processes.run(
            List.of(
                qemuImg(),
                "convert",
                "--image-opts",
                qemuOptions(iqn, INITIATOR, chap),
                "-O",
                "raw",
                copy.toString()));
    assertThat(convert.exitCode()).as(convert.output()).isZero();
    assertThat(DiscImages.sha256(copy)).isEqualTo(image.getString("sha256"));

    Processes.Result write =
        Processes.run(
            List.of(
                SystemTools.require("qemu-io", "qemu-utils").toString(),
                "--image-opts",
                qemuOptions(iqn, INITIATOR, chap),
                "-c",
                "write 0 512"));
    assertThat(write.exitCode()).isNotZero();
    assertThat(write.output()).contains("write protected");

    // tgt answers discovery without CHAP, so a wrong or missing secret shows in the login itself.
    Processes.Result wrongSecret =
        iscsiLs(INITIATOR, chap.getString("username"), "WrongSecret1234");
    assertThat(wrongSecret.exitCode()).isNotZero();
    assertThat(wrongSecret.output()).contains("Authentication failure");
    Processes.Result noChap = iscsiLs(INITIATOR, null, null);
    assertThat(noChap.exitCode()).isNotZero();
    assertThat(noChap.output()).contains("Authentication failure");
    JsonObject wrong = chap.copy().put("secret", "WrongSecret1234");
    assertThat(
            Processes.run(
                    List.of(qemuImg(), "info", "--image-opts", qemuOptions(iqn, INITIATOR, wrong)))
                .exitCode())
        .isNotZero();
    assertThat(
            iscsiLs(
                    "iqn.2026-01.test.discs:intruder",
                    chap.getString("username"),
                    chap.getString("secret"))
                .output())
        .doesNotContain(iqn);
    Processes.Result intruder =
        Processes.run(
            List.of(
                qemuImg(),
                "info",
                "--image-opts",
                qemuOptions(iqn, "iqn.2026-01.test.discs:intruder", chap)));
    assertThat(intruder.exitCode()).isNotZero();
  }

  @Test
  void aCdromTargetServesTheSameBytes() throws Exception {
    JsonObject target = createTarget(INITIATOR, "cdrom");
    Path copy = dir.resolve("cd.raw");
    Processes.Result convert =
        Processes.run(
            List.of(
                qemuImg(),
                "convert",
                "--image-opts",
                qemuOptions(target.getString("iqn"), INITIATOR, target.getJsonObject("chap")),
                "-O",
                "raw",
                copy.toString()));
    assertThat(convert.exitCode()).as(convert.output()).isZero();
    assertThat(DiscImages.sha256(copy)).isEqualTo(image.getString("sha256"));
    assertThat(tgtd.show()).contains("Type: cd/dvd");
  }

  @Test
  void deletingATargetRemovesItAndItsAccountsFromTgt() throws Exception {
    JsonObject target = createTarget(INITIATOR, "disk");
    String user = target.getJsonObject("chap").getString("username");
    assertThat(tgtd.show()).contains(target.getString("iqn")).contains(user);

    HttpResponse<Buffer> deleted =
        system
            .client
            .delete("/api/v1/targets/" + target.getString("id"))
            .bearerTokenAuthentication(operator)
            .send()
            .await(30, TimeUnit.SECONDS);

    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(tgtd.show()).doesNotContain(target.getString("iqn"));
    assertThat(tgtd.tgtadm("--mode", "account", "--op", "show")).doesNotContain(user);
    assertThat(system.get("/api/v1/targets/" + target.getString("id"), operator).statusCode())
        .isEqualTo(404);
  }

  @Test
  void refusesHostileInitiatorNamesWithoutStartingAProcess() throws Exception {
    double before = createCount();
    for (String hostile :
        List.of(
            "iqn.2026-01.x:a;rm -rf /",
            "$(reboot)",
            "`id`",
            "iqn.2026-01.x:a b",
            "iqn.2026-01.x:a\nb",
            "-I ALL",
            "../../etc/passwd",
            "IQN.2026-01.X:UPPER",
            "")) {
      HttpResponse<Buffer> response =
          system
              .client
              .post("/api/v1/targets")
              .bearerTokenAuthentication(operator)
              .sendJsonObject(
                  new JsonObject()
                      .put("imageId", image.getString("id"))
                      .put("initiatorIqn", hostile))
              .await(30, TimeUnit.SECONDS);
      assertThat(response.statusCode()).as(hostile).isEqualTo(400);
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    }
    for (String badImage : List.of("../../etc/passwd", "$(reboot)", "; ls")) {
      HttpResponse<Buffer> response =
          system
              .client
              .post("/api/v1/targets")
              .bearerTokenAuthentication(operator)
              .sendJsonObject(
                  new JsonObject().put("imageId", badImage).put("initiatorIqn", INITIATOR))
              .await(30, TimeUnit.SECONDS);
      assertThat(response.statusCode()).as(badImage).isIn(400, 404);
    }
    assertThat(createCount()).isEqualTo(before);
  }

  @Test
  void reconciliationRestoresTargetsAfterTgtdRestartsAndLeavesForeignOnesAlone() throws Exception {
    JsonObject target = createTarget(INITIATOR, "disk");
    tgtd.restart();
    tgtd.tgtadm(
        "--mode",
        "target",
        "--op",
        "new",
        "--tid",
        "90",
        "--targetname",
        "iqn.2026-01.io.discs:stray.0001");
    tgtd.tgtadm(
        "--mode",
        "target",
        "--op",
        "new",
        "--tid",
        "91",
        "--targetname",
        "iqn.2001-04.com.example:foreign");

    // Restored means usable again: the ACL is bound last, so wait until the initiator sees it.
    JsonObject chap = target.getJsonObject("chap");
    await("the target restored and the stray gone")
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                iscsiLs(INITIATOR, chap.getString("username"), chap.getString("secret"))
                        .output()
                        .contains(target.getString("iqn"))
                    && !tgtd.show().contains("stray.0001"));
    String show = tgtd.show();
    String listing =
        iscsiLs(INITIATOR, chap.getString("username"), chap.getString("secret")).output();

    assertThat(show)
        .contains(target.getString("iqn"))
        .doesNotContain("stray.0001")
        .contains("iqn.2001-04.com.example:foreign");
    assertThat(listing).contains(target.getString("iqn"));
  }

  @Test
  void createsAndDeletesFiftyTargetsAtOnceWithoutLeaks() throws Exception {
    long began = System.nanoTime();
    List<Future<HttpResponse<Buffer>>> creates = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      creates.add(
          system
              .client
              .post("/api/v1/targets")
              .bearerTokenAuthentication(operator)
              .timeout(120_000)
              .sendJsonObject(
                  new JsonObject()
                      .put("imageId", image.getString("id"))
                      .put("initiatorIqn", "iqn.2026-01.test.discs:many-" + i)));
    }
    Future.join(creates).await(180, TimeUnit.SECONDS);
    List<Future<HttpResponse<Buffer>>> deletes = new ArrayList<>();
    for (Future<HttpResponse<Buffer>> create : creates) {
      assertThat(create.result().statusCode()).as(create.result().bodyAsString()).isEqualTo(201);
      deletes.add(
          system
              .client
              .delete("/api/v1/targets/" + create.result().bodyAsJsonObject().getString("id"))
              .bearerTokenAuthentication(operator)
              .timeout(120_000)
              .send());
    }
    Future.join(deletes).await(180, TimeUnit.SECONDS);
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
    System.out.println(
        "50 targets created and deleted concurrently through the API in " + millis + " ms");

    for (Future<HttpResponse<Buffer>> delete : deletes) {
      assertThat(delete.result().statusCode()).isEqualTo(204);
    }
    String show = tgtd.show();
    assertThat(show).doesNotContain("many-");
    assertThat(tgtd.tgtadm("--mode", "account", "--op", "show")).doesNotContain("discs-t-");
  }

  private static JsonObject createTarget(String initiator, String deviceType) throws Exception {
    return system.createTarget(operator, image.getString("id"), initiator, deviceType);
  }

  private static Processes.Result iscsiLs(String initiator, String user, String secret)
      throws Exception {
    String credentials = user == null ? "" : user + "%" + secret + "@";
    return Processes.run(
        List.of(
            SystemTools.require("iscsi-ls", "libiscsi-bin").toString(),
            "-s",
            "-i",
            initiator,
            "iscsi://" + credentials + tgtd.portal()));
  }

  private static String qemuImg() {
    return SystemTools.require("qemu-img", "qemu-utils").toString();
  }

  private static String qemuOptions(String iqn, String initiator, JsonObject chap) {
    return TestSystem.qemuIscsi(tgtd.portal(), iqn, 1, initiator, chap);
  }

  private static double createCount() throws Exception {
    String metrics =
        system.client.get("/metrics").send().await(10, TimeUnit.SECONDS).bodyAsString();
    return metrics
        .lines()
        .filter(
            l ->
                l.startsWith("discs_iscsi_backend_operation_seconds_count")
                    && l.contains("operation=\"create\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
