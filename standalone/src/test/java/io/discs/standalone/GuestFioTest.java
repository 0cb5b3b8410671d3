package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.testing.DiscImages;
import io.discs.testing.FreePorts;
import io.discs.testing.TgtDaemon;
import io.discs.testing.guest.DebianGuestImage;
import io.discs.testing.guest.QemuGuest;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project plan's block performance test, as a real client sees it: in the Debian guest, the
 * Linux kernel initiator logs in to the same image served by discs's embedded target and by tgtd
 * (both with CHAP, both read-only disk LUNs), and fio reads each: 4 KiB random at depth 1 and 32,
 * 128 KiB sequential at depth 32, in two rounds (the first warms the emulator up). Every job must
 * run without error; the second round's table goes to {@code target/guest-fio.md} (under TCG the
 * guest's CPU, not the target, sets the pace, so the numbers compare the two targets, not this
 * machine's disks).
 */
class GuestFioTest {
  private static final String INITIATOR = "iqn.2026-01.test.discs:fio-guest";
  private static final int RUNTIME_SECONDS = 3;
  private static final List<String> JOBS =
      List.of("randread-4k-qd1", "randread-4k-qd32", "read-128k-qd32");

  @TempDir Path dir;

  @Test
  void fioReadsTheEmbeddedTargetAndTgtdFromTheKernelInitiator() throws Exception {
    DebianGuestImage guest = DebianGuestImage.prepare();
    int iscsiPort = FreePorts.next();
    Map<String, String> settings =
        Map.of(
            "DISCS_ISCSI_PORTAL", QemuGuest.HOST_ADDRESS + ":3260",
            "DISCS_ISCSI_LISTEN", "127.0.0.1:" + iscsiPort);
    try (TestSystem system = TestSystem.start(settings);
        TgtDaemon tgtd = TgtDaemon.start()) {
      String admin = system.adminToken();
      Path iso = DiscImages.iso9660(dir.resolve("fio.iso"), "FIO", 256L << 20, false, 11);
      JsonObject image = system.uploadImage(admin, "fio.iso", iso);
      JsonObject target = system.createTarget(admin, image.getString("id"), INITIATOR, "disk");
      String sha = image.getString("sha256");
      Path blob =
          system.config.dataDir().resolve("images/sha256/" + sha.substring(0, 2) + "/" + sha);

      String tgtIqn = "iqn.2026-01.test.discs:fio-tgt";
      tgtd.tgtadm("--mode", "target", "--op", "new", "--tid", "1", "--targetname", tgtIqn);
      tgtd.tgtadm(
          "--mode",
          "logicalunit",
          "--op",
          "new",
          "--tid",
          "1",
          "--lun",
          "1",
          "--backing-store",
          blob.toString());
      tgtd.tgtadm(
          "--mode",
          "logicalunit",
          "--op",
          "update",
          "--tid",
          "1",
          "--lun",
          "1",
          "--params",
          "readonly=1");
      tgtd.tgtadm(
          "--mode", "account", "--op", "new", "--user", "fiouser", "--password", "FioSecret12345");
      tgtd.tgtadm("--mode", "account", "--op", "bind", "--tid", "1", "--user", "fiouser");
      tgtd.tgtadm("--mode", "target", "--op", "bind", "--tid", "1", "--initiator-name", INITIATOR);

      Path scenario = Files.createDirectories(dir.resolve("scenario"));
      try (InputStream script = getClass().getResourceAsStream("/guest/fio-scenario.sh")) {
        Files.copy(script, scenario.resolve("scenario.sh"));
      }
      JsonObject chap = target.getJsonObject("chap");
      Map<String, String> env = new LinkedHashMap<>();
      env.put("INITIATOR", INITIATOR);
      env.put("RUNTIME", String.valueOf(RUNTIME_SECONDS));
      env.put("EMBEDDED_PORTAL", QemuGuest.HOST_ADDRESS + ":3260");
      env.put("EMBEDDED_IQN", target.getString("iqn"));
      env.put("EMBEDDED_USER", chap.getString("username"));
      env.put("EMBEDDED_SECRET", chap.getString("secret"));
      env.put("TGT_PORTAL", QemuGuest.HOST_ADDRESS + ":3261");
      env.put("TGT_IQN", tgtIqn);
      env.put("TGT_USER", "fiouser");
      env.put("TGT_SECRET", "FioSecret12345");
      QemuGuest.writeEnvironment(scenario, env);

      QemuGuest.Run run =
          QemuGuest.boot(
              guest,
              scenario,
              List.of(
                  new QemuGuest.Forward(3260, iscsiPort),
                  new QemuGuest.Forward(3261, tgtd.portalPort())),
              dir.resolve("qemu"),
              Duration.ofMinutes(10));
      String console = String.join("\n", run.lines());
      Files.writeString(Path.of("target", "guest-fio-console.log"), run.console());
      assertThat(console).as(console).contains("DISCS-STEP end");
      assertThat(run.lines().stream().filter(l -> l.startsWith("DISCS-CHECK")))
          .as(console)
          .containsOnly(
              "DISCS-CHECK embedded-login ok",
              "DISCS-CHECK embedded-device ok",
              "DISCS-CHECK tgtd-login ok",
              "DISCS-CHECK tgtd-device ok")
          .hasSize(8);

      Map<String, String[]> results = new LinkedHashMap<>();
      for (String line : run.lines()) {
        if (line.startsWith("DISCS-FIO2 ")) {
          String[] f = line.split(" ");
          results.put(f[1] + " " + f[2], f);
        }
      }
      List<String> table = new ArrayList<>();
      table.add(
          "| fio job | embedded KiB/s | IOPS | mean latency µs | tgtd KiB/s | IOPS | mean latency µs | embedded / tgtd |");
      table.add("|---|---|---|---|---|---|---|---|");
      for (String job : JOBS) {
        String[] e = results.get("embedded " + job);
        String[] t = results.get("tgtd " + job);
        assertThat(e).as(console).isNotNull();
        assertThat(t).as(console).isNotNull();
        // Fields: marker, target, job, KiB/s, IOPS, mean latency, fio's error number.
        assertThat(e[6])
            .as("fio error on the embedded target: " + String.join(" ", e))
            .isEqualTo("0");
        assertThat(t[6]).as("fio error on tgtd: " + String.join(" ", t)).isEqualTo("0");
        assertThat(Long.parseLong(e[3])).as(String.join(" ", e)).isPositive();
        table.add(
            String.format(
                "| %s | %s | %s | %.0f | %s | %s | %.0f | %.2f |",
                job,
                e[3],
                e[4],
                Double.parseDouble(e[5]),
                t[3],
                t[4],
                Double.parseDouble(t[5]),
                Double.parseDouble(e[3]) / Math.max(1, Double.parseDouble(t[3]))));
      }
      String markdown = String.join("\n", table) + "\n";
      Files.writeString(Path.of("target", "guest-fio.md"), markdown);
      System.out.println(markdown);
    }
  }
}
