package io.discs.testing.guest;

import io.discs.testing.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Boots a {@link DebianGuestImage} under {@code qemu-system-x86_64 -accel tcg} (KVM here is nested
 * and hangs guests) with a scenario folder as its second disk, and answers what the guest wrote on
 * its serial console.
 *
 * <p>The guest's network is QEMU's user network with {@code restrict=on}: it reaches nothing but
 * the forwards given (and host tools reach the guest only through {@link HostForward}s), each a
 * {@code guestfwd=…-cmd:} that starts one {@code socat} per connection to a port on the host's
 * loopback (a plain {@code guestfwd=…-tcp:} shares one host connection and breaks reconnects).
 */
public final class QemuGuest {
  /** The guest's own address on QEMU's user network, and where its forwards live. */
  public static final String GUEST_ADDRESS = "10.0.2.15";

  public static final String HOST_ADDRESS = "10.0.2.100";

  /** {@code HOST_ADDRESS:guestPort} in the guest reaches {@code 127.0.0.1:hostPort} on the host. */
  public record Forward(int guestPort, int hostPort) {}

  /**
   * {@code 127.0.0.1:hostPort} on the host reaches {@code guestPort} of the guest ({@code
   * hostfwd}): for host tools that connect to a server in the guest.
   */
  public record HostForward(int hostPort, int guestPort) {}

  public record Run(int exitCode, String console) {
    /** Lines the scenario wrote, without the kernel's. */
    public List<String> lines() {
      return console.lines().map(l -> l.replace("\r", "")).filter(l -> !l.startsWith("[")).toList();
    }
  }

  private QemuGuest() {}

  /** Writes {@code env.sh} into the scenario folder: one {@code NAME='value'} per line. */
  public static void writeEnvironment(Path scenario, java.util.Map<String, String> env)
      throws IOException {
    Files.writeString(
        scenario.resolve("env.sh"),
        env.entrySet().stream()
            .map(e -> e.getKey() + "='" + e.getValue() + "'")
            .collect(java.util.stream.Collectors.joining("\n", "", "\n")));
  }

  public static Run boot(
      DebianGuestImage image, Path scenario, List<Forward> forwards, Path workDir, Duration timeout)
      throws IOException, InterruptedException {
    return boot(image, scenario, forwards, List.of(), workDir, timeout);
  }

  public static Run boot(
      DebianGuestImage image,
      Path scenario,
      List<Forward> forwards,
      List<HostForward> hostForwards,
      Path workDir,
      Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    Path scenarioDisk = workDir.resolve("scenario.img");
    long scenarioBytes;
    try (var files = Files.walk(scenario)) {
      scenarioBytes = files.filter(Files::isRegularFile).mapToLong(QemuGuest::size).sum();
    }
    long megabytes = 32 + scenarioBytes / (1024 * 1024) * 2;
    Processes.check(
        List.of(
            "mkfs.ext4",
            "-q",
            "-F",
            "-d",
            scenario.toString(),
            scenarioDisk.toString(),
            megabytes + "M"),
        Duration.ofMinutes(2));
    Path console = workDir.resolve("console.log");
    Files.deleteIfExists(console);
    StringBuilder network = new StringBuilder("user,id=net0,restrict=on");
    for (Forward forward : forwards) {
      network
          .append(",guestfwd=tcp:")
          .append(HOST_ADDRESS)
          .append(':')
          .append(forward.guestPort())
          .append("-cmd:socat - TCP:127.0.0.1:")
          .append(forward.hostPort());
    }
    for (HostForward forward : hostForwards) {
      network
          .append(",hostfwd=tcp:127.0.0.1:")
          .append(forward.hostPort())
          .append("-:")
          .append(forward.guestPort());
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                "qemu-system-x86_64",
                "-accel",
                "tcg",
                "-m",
                "1536",
                "-smp",
                "2",
                "-display",
                "none",
                "-monitor",
                "none",
                "-no-reboot",
                "-serial",
                "file:" + console,
                "-kernel",
                image.kernel().toString(),
                "-initrd",
                image.initramfs().toString(),
                "-append",
                "console=ttyS0 panic=-1 quiet",
                "-drive",
                "file=" + image.rootImage() + ",format=raw,if=virtio,snapshot=on",
                "-drive",
                "file=" + scenarioDisk + ",format=raw,if=virtio,readonly=on",
                "-netdev",
                network.toString(),
                "-device",
                "virtio-net-pci,netdev=net0"));
    Processes.Result result = Processes.run(command, timeout);
    String text =
        Files.exists(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : "";
    return new Run(
        result.exitCode(), text + (result.ok() ? "" : "\n(qemu: " + result.output().strip() + ")"));
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }
}
