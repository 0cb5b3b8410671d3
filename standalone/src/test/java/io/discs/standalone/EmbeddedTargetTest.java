package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.testing.DiscImages;
import io.discs.testing.Processes;
import io.discs.testing.SystemTools;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded target (the default backend) driven by real initiators: libiscsi and QEMU. */
class EmbeddedTargetTest {
  private static final String INITIATOR = "iqn.2026-01.test.discs:embedded-client";
  private static int initiators;

  /**
   * libiscsi SCSI tests that fail on every target without {@code --dataloss}, tgtd included (seen
   * with a read-only tgtd LUN and the same command line): their helpers refuse to send a write or a
   * PERSISTENT RESERVE OUT ("--dataloss flag is not set in. Skipping ...") and the test then
   * asserts on the skipped call's result. Run again with {@code --dataloss}, each must pass here:
   * PERSISTENT RESERVE OUT is not offered (nobody may write, so nobody needs to reserve; libiscsi
   * skips what needs it) and WRITE AND VERIFY with DPO is an invalid field, as a unit without
   * DPOFUA must answer.
   */
  private static final Set<String> FAIL_WITHOUT_DATALOSS =
      Set.of(
          "PrinReadKeys.Truncate",
          "ProutRegister.Simple",
          "ProutReserve.Simple",
          "ProutReserve.AccessEA",
          "ProutReserve.AccessWE",
          "ProutReserve.AccessEARO",
          "ProutReserve.AccessWERO",
          "ProutReserve.AccessEAAR",
          "ProutReserve.AccessWEAR",
          "ProutReserve.OwnershipEA",
          "ProutReserve.OwnershipWE",
          "ProutReserve.OwnershipEARO",
          "ProutReserve.OwnershipWERO",
          "ProutReserve.OwnershipEAAR",
          "ProutReserve.OwnershipWEAR",
          "WriteVerify10.Dpo",
          "WriteVerify12.Dpo",
          "WriteVerify16.Dpo");

  private static TestSystem system;
  private static String operator;
  private static JsonObject image;

  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start(Map.of());
    String admin = system.adminToken();
    system.createUser(admin, "emil", "operator-password", "operator");
    operator = system.token("emil", "operator-password");
    Path iso = DiscImages.iso9660(dir.resolve("embedded.iso"), "EMBEDDED", 8 << 20, true, 99);
    image = system.uploadImage(operator, "embedded.iso", iso);
  }

  @AfterAll
  static void stop() throws Exception {
    system.close();
  }

  @Test
  void libiscsiAndQemuReadTheWholeImageWithChapAndWritesAreRefused() throws Exception {
    for (String deviceType : List.of("disk", "cdrom")) {
      JsonObject target = createTarget(deviceType);
      String initiator = target.getString("initiatorIqn");
      String url = url(target);
      assertThat(target.getInteger("lun")).isZero();

      Processes.Result ls =
          run("iscsi-ls", "-s", "-i", initiator, "iscsi://" + credentials(target) + portal());
      assertThat(ls.output()).contains(target.getString("iqn"));
      Processes.Result inq = run("iscsi-inq", "-i", initiator, url);
      assertThat(inq.exitCode()).as(inq.output()).isZero();
      assertThat(inq.output()).contains(deviceType.equals("disk") ? "DIRECT_ACCESS" : "MMC");
      Processes.Result capacity = run("iscsi-readcapacity16", "-i", initiator, url);
      assertThat(capacity.exitCode()).as(capacity.output()).isZero();
      assertThat(capacity.output()).contains("Total size:" + (8 << 20));

      // Twice: the first read maps the image, the second is served from the page cache, large
      // reads by sendfile. Both copies must be the image, byte for byte.
      for (int pass = 1; pass <= 2; pass++) {
        assertReadsTheImageWhole(qemu(target, initiator), deviceType + "-" + pass + ".raw");
      }
      assertThat(system.client.get("/metrics").send().await(10, TimeUnit.SECONDS).bodyAsString())
          .containsPattern("discs_embedded_reads_total\\{path=\"sendfile\"[^}]*} [1-9]");

      Processes.Result write =
          Processes.run(
              List.of(
                  tool("qemu-io", "qemu-utils"),
                  "--image-opts",
                  qemu(target, initiator),
                  "-c",
                  "write 0 512"));
      // A disk is opened read-only up front (WP in MODE SENSE); an optical LUN refuses the WRITE
      // itself.
      assertThat(write.output().toLowerCase(Locale.ROOT))
          .containsAnyOf("write protected", "write_protected");
      assertThat(write.output()).doesNotContain("wrote 512/512 bytes");
    }
  }

  @Test
  void servesInitiatorsThatAskForCrc32cHeaderDigests() throws Exception {
    JsonObject target = createTarget("disk");
    String initiator = target.getString("initiatorIqn");

    assertReadsTheImageWhole(qemu(target, initiator) + ",header-digest=crc32c", "digests.raw");
    String metrics =
        system.client.get("/metrics").send().await(10, TimeUnit.SECONDS).bodyAsString();
    assertThat(metrics).contains("header_digest=\"crc32c\"");
  }

  @Test
  void refusesOtherInitiatorsWrongSecretsAndHidesTargetsFromThem() throws Exception {
    JsonObject target = createTarget("disk");
    String initiator = target.getString("initiatorIqn");
    String intruder = "iqn.2026-01.test.discs:intruder";

    assertThat(
            run("iscsi-ls", "-s", "-i", intruder, "iscsi://" + credentials(target) + portal())
                .output())
        .doesNotContain(target.getString("iqn"));
    assertThat(
            Processes.run(
                    List.of(
                        tool("qemu-img", "qemu-utils"),
                        "info",
                        "--image-opts",
                        qemu(target, intruder)))
                .exitCode())
        .isNotZero();
    JsonObject wrong = target.copy();
    wrong.getJsonObject("chap").put("secret", "WrongSecret1234");
    Processes.Result denied = run("iscsi-inq", "-i", initiator, url(wrong));
    assertThat(denied.exitCode()).isNotZero();
    assertThat(denied.output()).contains("Authentication failure");
  }

  @Test
  void passesLibiscsiConformance() throws Exception {
    JsonObject target = createTarget("disk");
    String initiator = target.getString("initiatorIqn");
    String url = url(target);
    String testCu = tool("iscsi-test-cu", "libiscsi-bin");

    List<String> iscsiFailures =
        IscsiTestCu.failures(
            Processes.run(
                List.of(testCu, "-i", initiator, "-I", initiator, "--test=iSCSI.*", url)));
    List<String> readOnlyFailures =
        IscsiTestCu.failures(
            Processes.run(
                List.of(testCu, "-i", initiator, "--dataloss", "--test=SCSI.ReadOnly.*", url)));
    List<String> scsiFailures =
        IscsiTestCu.failures(
            Processes.run(List.of(testCu, "-i", initiator, "-I", initiator, "--test=SCSI.*", url)));
    List<String> failuresWithDataloss = new ArrayList<>();
    for (String test : scsiFailures) {
      Processes.Result rerun =
          Processes.run(
              List.of(
                  testCu,
                  "-i",
                  initiator,
                  "-I",
                  initiator,
                  "--dataloss",
                  "--test=SCSI." + test,
                  url));
      assertThat(rerun.output()).as("SCSI.%s with --dataloss", test).contains("passed");
      failuresWithDataloss.addAll(IscsiTestCu.failures(rerun));
    }

    assertThat(iscsiFailures).isEmpty();
    assertThat(readOnlyFailures).isEmpty();
    assertThat(FAIL_WITHOUT_DATALOSS).as("failed: %s", scsiFailures).containsAll(scsiFailures);
    assertThat(failuresWithDataloss).isEmpty();
  }

  @Test
  void deletingATargetEndsItsSessions() throws Exception {
    JsonObject target = createTarget("disk");
    String initiator = target.getString("initiatorIqn");
    Process reader =
        new ProcessBuilder(
                tool("qemu-io", "qemu-utils"),
                "-r",
                "--image-opts",
                qemu(target, initiator),
                "-c",
                "sleep 10000")
            .redirectErrorStream(true)
            .start();
    try {
      await("qemu-io logged in")
          .atMost(Duration.ofSeconds(15))
          .until(
              () -> system.client.get("/metrics").send().await(10, TimeUnit.SECONDS).bodyAsString(),
              metrics ->
                  metrics
                      .lines()
                      .anyMatch(
                          line ->
                              line.startsWith("discs_embedded_sessions ")
                                  && !line.endsWith(" 0.0")));
      assertThat(
              system
                  .client
                  .delete("/api/v1/targets/" + target.getString("id"))
                  .bearerTokenAuthentication(operator)
                  .send()
                  .await(30, TimeUnit.SECONDS)
                  .statusCode())
          .isEqualTo(204);
      assertThat(
              run("iscsi-ls", "-s", "-i", initiator, "iscsi://" + credentials(target) + portal())
                  .output())
          .doesNotContain(target.getString("iqn"));
    } finally {
      reader.destroyForcibly();
    }
  }

  /** qemu-img copies the whole LUN to a file in the test's folder: it must be the image. */
  private static void assertReadsTheImageWhole(String imageOpts, String copyName) throws Exception {
    Path copy = dir.resolve(copyName);
    Processes.Result convert =
        Processes.run(
            List.of(
                tool("qemu-img", "qemu-utils"),
                "convert",
                "--image-opts",
                imageOpts,
                "-O",
                "raw",
                copy.toString()));
    assertThat(convert.exitCode()).as(convert.output()).isZero();
    assertThat(DiscImages.sha256(copy)).isEqualTo(image.getString("sha256"));
  }

  private static JsonObject createTarget(String deviceType) throws Exception {
    return system.createTarget(
        operator, image.getString("id"), INITIATOR + "-" + ++initiators, deviceType);
  }

  private static Processes.Result run(String tool, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(tool(tool, "libiscsi-bin")));
    command.addAll(List.of(args));
    return Processes.run(command);
  }

  private static String tool(String name, String debianPackage) {
    return SystemTools.require(name, debianPackage).toString();
  }

  private static String portal() {
    return system.config.targets().portal().toString();
  }

  private static String credentials(JsonObject target) {
    JsonObject chap = target.getJsonObject("chap");
    return chap.getString("username") + "%" + chap.getString("secret") + "@";
  }

  private static String url(JsonObject target) {
    return "iscsi://" + credentials(target) + portal() + "/" + target.getString("iqn") + "/0";
  }

  private static String qemu(JsonObject target, String initiator) {
    return TestSystem.qemuIscsi(
        portal(), target.getString("iqn"), 0, initiator, target.getJsonObject("chap"));
  }
}
