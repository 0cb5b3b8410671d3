package io.discs.companion;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Asking the kernel to poll a drive for disc changes, on a sysfs laid out as the kernel does. */
class SysfsDevicesTest {
  @TempDir Path root;

  @Test
  void turnsPollingOnOnlyWhereNobodySetIt() throws Exception {
    SysfsDevices devices = new SysfsDevices(root.resolve("sys"), root.resolve("dev"));
    Path sr0 = Files.createDirectories(root.resolve("sys/block/sr0"));
    Path sr1 = Files.createDirectories(root.resolve("sys/block/sr1"));
    Files.writeString(sr0.resolve("events_poll_msecs"), "-1\n");
    Files.writeString(sr1.resolve("events_poll_msecs"), "500\n");

    assertThat(devices.watchMedia(Path.of("/dev/sr0"))).isTrue();
    assertThat(devices.watchMedia(Path.of("/dev/sr1"))).isTrue();
    assertThat(devices.watchMedia(Path.of("/dev/sr9"))).as("no such drive").isFalse();

    assertThat(Files.readString(sr0.resolve("events_poll_msecs"))).isEqualTo("2000");
    assertThat(Files.readString(sr1.resolve("events_poll_msecs")).strip())
        .as("someone else's setting stays")
        .isEqualTo("500");
  }
}
