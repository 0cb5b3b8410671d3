package io.discs.targets.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.platform.config.HostPort;
import io.discs.platform.targets.DeviceType;
import io.discs.targets.command.CommandRunner;
import io.discs.testing.SystemTools;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Against the kernel's LIO, where this machine has it (this kernel has no target_core_mod). */
@ExtendWith(VertxExtension.class)
class RealLioTest {

  @Test
  void createsAReadOnlyTargetInTheKernelAndRemovesItAgain(Vertx vertx, @TempDir Path dir)
      throws Exception {
    Assumptions.assumeTrue(
        Files.isDirectory(Path.of("/sys/kernel/config/target")),
        "no LIO here: /sys/kernel/config/target is missing (load target_core_mod to run this test)");
    Path targetcli = SystemTools.require("targetcli", "targetcli-fb");
    Path blob = Files.createDirectories(dir.resolve("images/sha256/cd")).resolve("cd".repeat(32));
    try (RandomAccessFile file = new RandomAccessFile(blob.toFile(), "rw")) {
      file.setLength(8L << 20);
    }
    LioBackend lio =
        new LioBackend(
            CommandRunner.create(
                vertx.createSharedWorkerExecutor("real-lio", 1),
                Map.of("targetcli", targetcli.toString())),
            dir.resolve("images"),
            new HostPort("127.0.0.1", 3261));
    String iqn = "iqn.2026-01.io.discs:reallio0.0000000000000001";
    TargetSpec spec =
        new TargetSpec(
            iqn,
            blob,
            DeviceType.DISK,
            "iqn.2026-01.test.discs:lio-client",
            new TargetSpec.Chap("discs-lio", "Lio0123456789ab"),
            null);
    try {
      lio.create(spec).await(60, TimeUnit.SECONDS);
      assertThat(lio.list().await(30, TimeUnit.SECONDS))
          .extracting(BackendTarget::iqn)
          .contains(iqn);
    } finally {
      lio.delete(iqn).await(60, TimeUnit.SECONDS);
    }
    assertThat(lio.list().await(30, TimeUnit.SECONDS))
        .extracting(BackendTarget::iqn)
        .doesNotContain(iqn);
  }
}
