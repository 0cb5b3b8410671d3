package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.platform.config.DatabaseUrl;
import io.discs.testing.DiscImages;
import io.discs.testing.Processes;
import io.discs.testing.TestDatabase;
import io.discs.testing.guest.DebianGuestImage;
import io.discs.testing.guest.QemuGuest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * discs on a LIO host, as an operator on Debian runs it: in the Debian guest, with Debian's kernel
 * target (target_core_mod, iscsi_target_mod, target_core_file) and targetcli-fb, the server jar as
 * root with {@code DISCS_ISCSI_BACKEND=lio} in one JVM with embedded PostgreSQL, and the companion
 * with stock open-iscsi mounting a disc LIO serves. One JVM, not the targets role joined to a
 * cluster on the host: QEMU's user network forwards only chosen ports into the guest, and cluster
 * members connect to each other both ways.
 */
class LioGuestIT {
  private static final String PASSWORD = "lio-admin-password-1";
  private static final int DATABASE_PORT = 5432;

  @TempDir Path dir;

  @Test
  void theLioBackendServesADiscReadOnlyAndLeavesNothingInConfigfs() throws Exception {
    Path server = Path.of("target", "discs-standalone.jar").toAbsolutePath().normalize();
    Path companion =
        Path.of("..", "companion", "target", "discs-companion.jar").toAbsolutePath().normalize();
    requireRootAnd(server, companion);
    DebianGuestImage guest = DebianGuestImage.prepare();

    Path scenario = Files.createDirectories(dir.resolve("scenario"));
    Files.copy(server, scenario.resolve("server.jar"));
    Files.copy(companion, scenario.resolve("companion.jar"));
    Path iso = DiscImages.iso9660(scenario.resolve("disc.iso"), "LIO", 4 << 20, false, 29);
    try (var script = getClass().getResourceAsStream("/guest/lio-scenario.sh")) {
      Files.copy(script, scenario.resolve("scenario.sh"));
    }
    try (var checks = getClass().getResourceAsStream("/guest/checks.sh")) {
      Files.copy(checks, scenario.resolve("checks.sh"));
    }
    DatabaseUrl owner = TestDatabase.freshDatabase();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PASSWORD", PASSWORD);
    env.put("DB_OWNER_URL", DiscsProcess.url(throughForward(owner)));
    env.put("DB_URL", DiscsProcess.url(throughForward(TestDatabase.appRole(owner))));
    env.put("IMAGE_SIZE", String.valueOf(Files.size(iso)));
    env.put("IMAGE_SHA", DiscImages.sha256(iso));
    QemuGuest.writeEnvironment(scenario, env);

    QemuGuest.Run run =
        QemuGuest.boot(
            guest,
            scenario,
            List.of(new QemuGuest.Forward(DATABASE_PORT, owner.port())),
            dir.resolve("qemu"),
            Duration.ofMinutes(20));
    String console = String.join("\n", run.lines());
    Files.writeString(Path.of("target", "lio-guest-console.log"), run.console());

    assertThat(console).as(console).contains("DISCS-STEP end");
    assertThat(run.lines().stream().filter(l -> l.startsWith("DISCS-CHECK") && !l.endsWith(" ok")))
        .as(console)
        .isEmpty();
    assertThat(
            run.lines().stream().filter(l -> l.startsWith("DISCS-CHECK")).map(l -> l.split(" ")[1]))
        .as(console)
        .contains(
            "lio-configfs",
            "targetcli-runs",
            "server-ready",
            "image-stored",
            "lio-has-the-target",
            "lio-lun-read-only",
            "disk-device-exists",
            "disk-device-hash",
            "disk-write-refused",
            "lio-nothing-left-of-the-target",
            "lio-no-backstore-left");
  }

  /** The database as the guest reaches it: its forward to the host's server. */
  private static DatabaseUrl throughForward(DatabaseUrl url) {
    return new DatabaseUrl(
        QemuGuest.HOST_ADDRESS, DATABASE_PORT, url.database(), url.user(), url.password());
  }

  private static void requireRootAnd(Path... jars) throws Exception {
    boolean ci = "true".equals(System.getenv("CI"));
    String uid = Processes.run(List.of("id", "-u")).output().strip();
    String missing = !uid.equals("0") ? "building the Debian guest needs root (debootstrap)" : null;
    for (Path jar : jars) {
      if (missing == null && !Files.exists(jar)) {
        missing = jar + " is missing: run it with ./mvnw verify, which builds the jar first";
      }
    }
    if (missing != null) {
      if (ci) {
        Assertions.fail(missing);
      }
      Assumptions.abort(missing);
    }
  }
}
