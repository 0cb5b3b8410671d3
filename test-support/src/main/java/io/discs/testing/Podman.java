package io.discs.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * podman as this machine runs it (MACHINE-RECIPES.md): as root, with a {@code containers.conf} that
 * uses the cgroupfs manager and runc and sets no default ulimits (the sandbox refuses to raise
 * them). Image registries are not reachable, so the Java 17 base is built here from Debian's
 * packages ({@link #debianJre}) and kept in podman's store for later runs.
 */
public final class Podman {
  public static final String JRE_IMAGE = "localhost/discs-jre:17";

  private final Path conf;

  private Podman(Path conf) {
    this.conf = conf;
  }

  /** podman, or the test skipped naming the package (failed under {@code CI=true}). */
  public static Podman require(Path workDir) throws Exception {
    String missing = null;
    if (!SystemTools.find("podman").isPresent()) {
      missing = "podman is missing: apt-get install podman runc";
    } else if (!Processes.run(List.of("id", "-u")).output().strip().equals("0")) {
      missing = "the container tests run podman as root";
    }
    if (missing != null) {
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(missing);
      }
      Assumptions.abort(missing);
    }
    Files.createDirectories(workDir);
    Path conf = workDir.resolve("containers.conf");
    Files.writeString(
        conf,
        """
        [containers]
        default_ulimits = []
        [engine]
        cgroup_manager = "cgroupfs"
        runtime = "runc"
        """);
    return new Podman(conf);
  }

  /** The environment podman and tools that talk to it (podman-compose) need. */
  public Map<String, String> environment() {
    return Map.of("CONTAINERS_CONF", conf.toString());
  }

  public Processes.Result run(Duration timeout, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("podman"));
    command.addAll(List.of(args));
    return Processes.run(command, environment(), timeout);
  }

  /** Runs podman and answers its output; anything but success fails the test with it. */
  public String check(Duration timeout, String... args) throws IOException, InterruptedException {
    Processes.Result result = run(timeout, args);
    if (!result.ok()) {
      throw new IllegalStateException(
          "podman "
              + String.join(" ", args)
              + " exited "
              + result.exitCode()
              + ":\n"
              + result.output());
    }
    return result.output();
  }

  /**
   * A Java 17 runtime image from Debian 12's packages ({@code openjdk-17-jre-headless}, curl,
   * passwd, CA certificates), built with debootstrap and {@code podman import} unless podman
   * already holds it.
   */
  public String debianJre(Path workDir) throws Exception {
    if (run(Duration.ofSeconds(30), "image", "exists", JRE_IMAGE).ok()) {
      return JRE_IMAGE;
    }
    SystemTools.require("debootstrap", "debootstrap");
    Path root = workDir.resolve("jre-root");
    Processes.run(List.of("rm", "-rf", root.toString()));
    String mirror =
        System.getenv().getOrDefault("DISCS_DEBIAN_MIRROR", "http://deb.debian.org/debian");
    Processes.check(
        List.of(
            "debootstrap",
            "--variant=minbase",
            "--include=openjdk-17-jre-headless,curl,passwd,ca-certificates",
            "bookworm",
            root.toString(),
            mirror),
        Duration.ofMinutes(15));
    // What a container never reads: documentation, translations, apt's caches.
    Processes.check(
        List.of(
            "sh",
            "-c",
            "cd \"$0\" && rm -rf usr/share/doc/* usr/share/man/* usr/share/locale/*"
                + " var/cache/apt/*.bin var/cache/apt/archives/*.deb var/lib/apt/lists/*",
            root.toString()),
        Duration.ofMinutes(1));
    Processes.check(
        List.of(
            "sh",
            "-c",
            "tar -C \"$0\" -c . | CONTAINERS_CONF=\"$1\" podman import"
                + " --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'"
                + " - \"$2\"",
            root.toString(),
            conf.toString(),
            JRE_IMAGE),
        Duration.ofMinutes(5));
    Processes.run(List.of("rm", "-rf", root.toString()));
    return JRE_IMAGE;
  }
}
