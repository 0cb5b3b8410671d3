package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.testing.FreePorts;
import io.discs.testing.Processes;
import io.discs.testing.SystemTools;
import io.discs.testing.guest.DebianGuestImage;
import io.discs.testing.guest.QemuGuest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A person on Debian 12 mounts a disc: a QEMU guest (TCG) with Debian's kernel and stock open-iscsi
 * runs the companion jar against this system over QEMU's user network. It checks what a person
 * would: the printed device exists and reads as the image, the disc mounts read-only, writes fail,
 * Ctrl-C leaves no iSCSI session and no node record, for a disk and a CD-ROM LUN; and the paths
 * that go wrong (not root, iscsid down, a second mount, a lost lease) say what to do.
 */
class LinuxGuestMountTest {
  private static final int LEASE = 10;
  private static final String USER = "gina";
  private static final String PASSWORD = "guest-password-1234";

  @TempDir Path dir;

  @Test
  void aPersonOnDebianMountsDiscsWithTheCompanionAndStockOpenIscsi() throws Exception {
    Path companionJar =
        Path.of("..", "companion", "target", "discs-companion.jar").toAbsolutePath().normalize();
    requireRootAnd(companionJar);
    SystemTools.require("xorriso", "xorriso");
    DebianGuestImage guest = DebianGuestImage.prepare();

    int iscsiPort = FreePorts.next();
    Map<String, String> settings =
        Map.of(
            "DISCS_ISCSI_PORTAL",
            QemuGuest.HOST_ADDRESS + ":3260",
            "DISCS_ISCSI_LISTEN",
            "127.0.0.1:" + iscsiPort,
            "DISCS_LEASE_SECONDS",
            String.valueOf(LEASE),
            "DISCS_HEARTBEAT_SECONDS",
            "2",
            "DISCS_REAPER_SECONDS",
            "1");
    try (TestSystem system = TestSystem.start(settings)) {
      String admin = system.adminToken();
      system.createUser(admin, USER, PASSWORD, "user");
      Disc disc = makeDisc("guest", 16);
      JsonObject image = system.uploadImage(admin, "guest.iso", disc.iso());
      assertThat(image.getString("sha256")).isEqualTo(disc.sha256());
      Disc second = makeDisc("guest-b", 17);
      system.uploadImage(admin, "guest-b.iso", second.iso());

      Path scenario = Files.createDirectories(dir.resolve("scenario"));
      Files.copy(companionJar, scenario.resolve("companion.jar"));
      try (InputStream script = getClass().getResourceAsStream("/guest/mount-scenario.sh")) {
        Files.copy(script, scenario.resolve("scenario.sh"));
      }
      try (InputStream checks = getClass().getResourceAsStream("/guest/checks.sh")) {
        Files.copy(checks, scenario.resolve("checks.sh"));
      }
      Map<String, String> env = new LinkedHashMap<>();
      env.put("API", "http://" + QemuGuest.HOST_ADDRESS + ":8080");
      env.put("USERNAME", USER);
      env.put("PASSWORD", PASSWORD);
      env.put("IMAGE_NAME", "guest.iso");
      env.put("IMAGE_SIZE", String.valueOf(Files.size(disc.iso())));
      env.put("IMAGE_SHA", disc.sha256());
      env.put("FILE_NAME", disc.fileName());
      env.put("FILE_SHA", disc.fileSha256());
      env.put("IMAGE_B_NAME", "guest-b.iso");
      env.put("IMAGE_B_SIZE", String.valueOf(Files.size(second.iso())));
      env.put("IMAGE_B_SHA", second.sha256());
      env.put("FILE_B_SHA", second.fileSha256());
      env.put("LEASE_SECONDS", String.valueOf(LEASE));
      QemuGuest.writeEnvironment(scenario, env);

      QemuGuest.Run run =
          QemuGuest.boot(
              guest,
              scenario,
              List.of(
                  new QemuGuest.Forward(8080, system.discs.httpPort()),
                  new QemuGuest.Forward(3260, iscsiPort)),
              dir.resolve("qemu"),
              Duration.ofMinutes(15));
      String console = String.join("\n", run.lines());
      Files.writeString(Path.of("target", "linux-guest-console.log"), run.console());

      assertThat(console).as(console).contains("DISCS-STEP end");
      List<String> failed =
          run.lines().stream()
              .filter(l -> l.startsWith("DISCS-CHECK") && !l.endsWith(" ok"))
              .toList();
      assertThat(failed).as(console).isEmpty();
      assertThat(
              run.lines().stream()
                  .filter(l -> l.startsWith("DISCS-CHECK"))
                  .map(l -> l.split(" ")[1]))
          .as(console)
          .contains(
              "images",
              "not-root-message",
              "iscsid-down-message",
              "discovery-lists-own-target",
              "disk-device-exists",
              "disk-by-path-exists",
              "disk-device-hash",
              "disk-mounts-read-only",
              "disk-file-hash",
              "disk-write-refused",
              "second-mount-refused",
              "disk-nothing-left",
              "cdrom-device-exists",
              "cdrom-device-hash",
              "cdrom-mounts-read-only",
              "cdrom-file-hash",
              "cdrom-write-refused",
              "cdrom-read-toc-msf",
              "cdrom-udev-sees-media",
              "cdrom-udev-sees-data-track",
              "cdrom-nothing-left",
              "drive-kernel-polls-media",
              "drive-reads-a",
              "drive-mounts-a",
              "drive-file-a",
              "drive-eject-says-none",
              "drive-no-medium",
              "drive-empty-mount-fails",
              "drive-reads-b",
              "drive-mounts-b",
              "drive-file-b",
              "drive-same-kernel-session",
              "drive-same-connection",
              "drive-udev-saw-media-change",
              "drive-udev-saw-eject-request",
              "drive-udev-sees-media",
              "drive-ejected-here",
              "drive-server-saw-the-eject",
              "drive-tray-closes-on-open",
              "drive-server-saw-the-reload",
              "drive-nothing-left",
              "lease-lost-message",
              "lease-lost-nothing-left");
      Map<String, String> results = results(run.lines());
      assertThat(results)
          .as(console)
          .containsEntry("login-exit", "0")
          .containsEntry("not-root-exit", "2")
          .containsEntry("iscsid-down-exit", "6")
          .containsEntry("discovery-exit", "0")
          .containsEntry("second-mount-exit", "2")
          .containsEntry("disk-sigint-exit", "130")
          .containsEntry("cdrom-sigint-exit", "130")
          .containsEntry("lease-lost-exit", "7")
          .containsEntry("drive-eject-exit", "0")
          .containsEntry("drive-insert-exit", "0")
          .containsEntry("drive-sigint-exit", "130");
      assertThat(results.get("drive-device")).as(console).matches("/dev/sr[0-9]+");
      assertThat(results.get("disk-device")).as(console).matches("/dev/sd[a-z]+");
      assertThat(results.get("cdrom-device")).as(console).matches("/dev/sr[0-9]+");

      // The server's side: the interrupted mounts ENDED, the abandoned one EXPIRED, no target left.
      String user = system.token(USER, PASSWORD);
      JsonArray sessions =
          system.get("/api/v1/sessions", user).bodyAsJsonObject().getJsonArray("items");
      Map<String, String> states =
          sessions.stream()
              .map(JsonObject.class::cast)
              .collect(Collectors.toMap(s -> s.getString("id"), s -> s.getString("state")));
      assertThat(states)
          .as(sessions.encodePrettily())
          .containsEntry(results.get("disk-session"), "ENDED")
          .containsEntry(results.get("cdrom-session"), "ENDED")
          .containsEntry(results.get("lost-session"), "EXPIRED")
          .doesNotContainValue("ACTIVE");
      assertThat(
              system
                  .get("/api/v1/drives/" + results.get("drive-id"), user)
                  .bodyAsJsonObject()
                  .getString("state"))
          .isEqualTo("ENDED");
      assertThat(system.get("/api/v1/targets", admin).bodyAsJsonObject().getJsonArray("items"))
          .isEmpty();
    }
  }

  private record Disc(Path iso, String sha256, String fileName, String fileSha256) {}

  /** A real ISO 9660 file system (xorriso), so the guest can mount it and hash a file on it. */
  private Disc makeDisc(String name, long seed) throws Exception {
    Path tree = Files.createDirectories(dir.resolve(name + "-tree"));
    byte[] content = new byte[3 << 20];
    new Random(seed).nextBytes(content);
    Files.write(tree.resolve("payload.bin"), content);
    Files.writeString(tree.resolve("readme.txt"), "a disc for the Debian guest\n");
    Path iso = dir.resolve(name + ".iso");
    Processes.check(
        List.of(
            "xorriso",
            "-as",
            "mkisofs",
            "-quiet",
            "-V",
            name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'),
            "-o",
            iso.toString(),
            tree.toString()),
        Duration.ofMinutes(1));
    return new Disc(
        iso,
        io.discs.testing.DiscImages.sha256(iso),
        "payload.bin",
        io.discs.testing.DiscImages.sha256(tree.resolve("payload.bin")));
  }

  private static Map<String, String> results(List<String> lines) {
    Map<String, String> results = new LinkedHashMap<>();
    for (String line : lines) {
      if (line.startsWith("DISCS-RESULT ")) {
        String[] parts = line.split(" ", 3);
        results.put(parts[1], parts.length > 2 ? parts[2].strip() : "");
      }
    }
    return results;
  }

  /**
   * Building the guest needs root (debootstrap, chroot); the companion jar comes from the companion
   * module.
   */
  private static void requireRootAnd(Path companionJar) throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    String uid = Processes.run(List.of("id", "-u")).output().strip();
    String missing =
        !uid.equals("0")
            ? "building the Debian guest needs root (debootstrap)"
            : !Files.exists(companionJar)
                ? companionJar + " is missing: build the companion module first"
                : null;
    if (missing != null) {
      if (ci) {
        Assertions.fail(missing);
      }
      Assumptions.abort(missing);
    }
  }
}
