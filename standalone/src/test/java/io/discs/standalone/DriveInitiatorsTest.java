package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.testing.DiscImages;
import io.discs.testing.Processes;
import io.discs.testing.SystemTools;
import io.discs.testing.TempDirs;
import io.discs.testing.guest.QemuScreen;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A drive as initiators that are not discs' own see it: libiscsi byte by byte (sense data, media
 * events, the lock and the eject request), libiscsi's conformance suite against a CD-ROM target of
 * the same disc, and a QEMU machine booting a drive's disc and reading it across a change.
 */
class DriveInitiatorsTest {
  private static final String PASSWORD = "a long enough password";
  private static final String INITIATOR = "iqn.2026-12.test.discs:drive-initiators";
  private static TestSystem system;
  private static String admin;
  private static String uma;
  private static JsonObject discA;
  private static JsonObject discB;
  private static Path fileA;
  private static Path fileB;
  private static Path dir;
  private static int initiators;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start(Map.of());
    admin = system.adminToken();
    system.createUser(admin, "uma", PASSWORD, "user");
    uma = system.token("uma", PASSWORD);
    dir = TempDirs.create("drive-initiators");
    fileA = DiscImages.iso9660(dir.resolve("a.iso"), "DISC_A", 2 << 20, false, 11);
    fileB = DiscImages.iso9660(dir.resolve("b.iso"), "DISC_B", 3 << 20, false, 12);
    discA = system.uploadImage(admin, "a.iso", fileA);
    discB = system.uploadImage(admin, "b.iso", fileB);
  }

  @AfterAll
  static void stop() throws Exception {
    system.close();
  }

  @Test
  void libiscsiSeesTheSenseDataMediaEventsAndLockByteForByte() throws Exception {
    String python = SystemTools.require("python3", "python3").toString();
    SystemTools.require("iscsi-inq", "libiscsi-bin"); // and with it libiscsi.so.7
    String initiator = nextInitiator();
    JsonObject drive = drive(initiator, discA);
    Path script = dir.resolve("raw-initiator.py");
    try (InputStream resource = getClass().getResourceAsStream("/drive/raw-initiator.py")) {
      Files.copy(resource, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Map<String, String> env = new HashMap<>();
    env.put("API", "http://127.0.0.1:" + system.discs.httpPort());
    env.put("TOKEN", uma);
    env.put("DRIVE", drive.getString("id"));
    env.put("PORTAL", drive.getJsonObject("target").getString("portal"));
    env.put("IQN", drive.getJsonObject("target").getString("iqn"));
    env.put("INITIATOR", initiator);
    env.put("CHAP_USER", drive.getJsonObject("chap").getString("username"));
    env.put("CHAP_SECRET", drive.getJsonObject("chap").getString("secret"));
    env.put("DISC_A", discA.getString("id"));
    env.put("DISC_B", discB.getString("id"));
    env.put("FILE_A", fileA.toString());
    env.put("FILE_B", fileB.toString());

    Processes.Result run =
        Processes.run(List.of(python, script.toString()), env, Duration.ofMinutes(2));

    assertThat(run.output()).as(run.output()).contains("RAW-END").doesNotContain("FAILED");
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output().lines().filter(l -> l.startsWith("RAW-CHECK ")).count())
        .as(run.output())
        .isEqualTo(26);
    // The eject the initiator answered and the forced one are in the log as the owner's.
    assertThat(
            system
                .get("/api/v1/audit?type=drive.ejected&actor=uma", admin)
                .bodyAsJsonObject()
                .getJsonArray("items")
                .size())
        .isEqualTo(2);
  }

  @Test
  void theConformanceSuiteFailsNothingOnADriveThatItPassesOnACdromTarget() throws Exception {
    String testCu = SystemTools.require("iscsi-test-cu", "libiscsi-bin").toString();
    String cdromInitiator = nextInitiator();
    JsonObject cdrom = system.createTarget(admin, discA.getString("id"), cdromInitiator, "cdrom");
    String driveInitiator = nextInitiator();
    JsonObject drive = drive(driveInitiator, discA);

    List<String> cdromFailures =
        IscsiTestCu.failures(
            Processes.run(
                List.of(
                    testCu,
                    "-i",
                    cdromInitiator,
                    "-I",
                    cdromInitiator,
                    "--test=SCSI.*",
                    url(cdrom.getString("iqn"), cdrom.getJsonObject("chap")))));
    List<String> driveFailures =
        IscsiTestCu.failures(
            Processes.run(
                List.of(
                    testCu,
                    "-i",
                    driveInitiator,
                    "-I",
                    driveInitiator,
                    "--test=SCSI.*",
                    url(
                        drive.getJsonObject("target").getString("iqn"),
                        drive.getJsonObject("chap")))));

    assertThat(cdromFailures)
        .as("failed on the drive: %s", driveFailures)
        .containsAll(driveFailures);
    // The suite's START STOP UNIT tests eject and load again: the row follows the tray back.
    JsonObject after =
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> system.get("/api/v1/drives/" + drive.getString("id"), uma).bodyAsJsonObject(),
                now -> discA.getString("id").equals(now.getString("imageId")));
    assertThat(after.getString("state")).isEqualTo("ACTIVE");
    assertThat(after.getBoolean("inserted")).isTrue();
  }

  /**
   * QEMU boots GRUB's rescue CD from a drive through its {@code iscsi://} driver as an IDE CD. Its
   * iSCSI driver retries a command that meets a UNIT ATTENTION and tells the drive it emulates
   * nothing: after a change the running machine reads the new disc's bytes at the size it read when
   * it opened the drive. (Its own {@code change} command, not the target, is what a QEMU guest's CD
   * drive learns a new disc from; the README says so.)
   */
  @Test
  void qemuBootsADrivesDiscAndAfterAChangeReadsTheNewDiscAtTheOldSize() throws Exception {
    SystemTools.require("qemu-system-x86_64", "qemu-system-x86");
    Path rescue =
        SystemTools.requireFile(
            Path.of("/usr/lib/grub-rescue/grub-rescue-cdrom.iso"), "grub-rescue-pc");
    JsonObject rescueImage = system.uploadImage(admin, "rescue.iso", rescue);
    String initiator = nextInitiator();
    JsonObject drive = drive(initiator, rescueImage);
    JsonObject chap = drive.getJsonObject("chap");
    String url =
        "iscsi://"
            + chap.getString("username")
            + "%"
            + chap.getString("secret")
            + "@"
            + drive.getJsonObject("target").getString("portal")
            + "/"
            + drive.getJsonObject("target").getString("iqn")
            + "/0";
    Path work = Path.of("target", "drive-qemu-boot").toAbsolutePath();
    Processes.check(List.of("rm", "-rf", work.toString()), Duration.ofSeconds(30));
    try (QemuScreen machine =
        QemuScreen.start(
            List.of(
                "-iscsi",
                "initiator-name=" + initiator,
                "-drive",
                "file=" + url + ",if=none,id=cd,media=cdrom,readonly=on",
                "-device",
                "ide-cd,drive=cd,bootindex=0",
                "-nic",
                "none"),
            work)) {
      QemuScreen.Screen menu =
          await()
              .pollDelay(Duration.ofSeconds(2))
              .pollInterval(Duration.ofSeconds(2))
              .atMost(Duration.ofSeconds(180))
              .until(machine::grab, IpxeSanBootTest::showsMenu);
      assertThat(menu).as("GRUB's menu from the drive; see " + work).isNotNull();

      HttpResponse<Buffer> inserted =
          system
              .client
              .post("/api/v1/drives/" + drive.getString("id") + "/insert")
              .bearerTokenAuthentication(uma)
              .sendJsonObject(new JsonObject().put("imageId", discB.getString("id")))
              .await(30, TimeUnit.SECONDS);
      assertThat(inserted.statusCode()).as(inserted.bodyAsString()).isEqualTo(200);

      int at = 40 * 2048;
      // The first reads meet the change's unit attentions and are retried; qemu-io prints on
      // QEMU's standard output: ask until a read's bytes show there.
      String dumpLine = String.format("%08x:", at);
      String read =
          await()
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> {
                    machine.monitor("qemu-io cd \"read -v " + at + " 16\"");
                    return hexOf(machine.log(), dumpLine);
                  },
                  java.util.Objects::nonNull);
      assertThat(read).as(machine.log()).isEqualTo(hex(fileB, at));
      String rescueLength =
          Processes.run(
                  List.of(
                      SystemTools.require("qemu-io", "qemu-utils").toString(),
                      "-r",
                      "-c",
                      "length",
                      rescue.toString()))
              .output()
              .strip();
      machine.monitor("qemu-io cd \"length\"");
      await()
          .alias("the size QEMU opened the drive with (the rescue CD's, not disc B's)")
          .atMost(Duration.ofSeconds(10))
          .until(() -> machine.log().lines().anyMatch(rescueLength::equals));
    }
  }

  /** The 16 bytes of the last dump line of qemu-io in {@code output} at {@code prefix}; or null. */
  private static String hexOf(String output, String prefix) {
    String found = null;
    for (String line : output.split("\\R")) {
      if (line.startsWith(prefix) && line.matches("^[0-9a-f]{8}:\\s+([0-9a-f]{2}\\s+){16}.*")) {
        String[] fields = line.substring(9).trim().split("\\s+");
        found = String.join("", Arrays.copyOfRange(fields, 0, 16));
      }
    }
    return found;
  }

  private static String hex(Path file, int at) throws Exception {
    byte[] all = Files.readAllBytes(file);
    return HexFormat.of().formatHex(Arrays.copyOfRange(all, at, at + 16));
  }

  private static JsonObject drive(String initiator, JsonObject disc) throws Exception {
    HttpResponse<Buffer> made =
        system
            .client
            .post("/api/v1/drives")
            .bearerTokenAuthentication(uma)
            .sendJsonObject(
                new JsonObject()
                    .put("initiatorIqn", initiator)
                    .put("imageId", disc.getString("id")))
            .await(30, TimeUnit.SECONDS);
    assertThat(made.statusCode()).as(made.bodyAsString()).isEqualTo(201);
    return made.bodyAsJsonObject();
  }

  private static String url(String iqn, JsonObject chap) {
    return "iscsi://"
        + chap.getString("username")
        + "%"
        + chap.getString("secret")
        + "@"
        + system.config.targets().portal()
        + "/"
        + iqn
        + "/0";
  }

  private static synchronized String nextInitiator() {
    return INITIATOR + "-" + ++initiators;
  }
}
