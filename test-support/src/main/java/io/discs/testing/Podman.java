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
 * them), and netavark with aardvark-dns so containers on one network find each other by name (CNI
 * without its dnsname plugin does not). Image registries are not reachable, so the Java 17 base is
 * built here from Debian's packages ({@link #debianJre}) and kept in podman's store for later runs.
 */
public final class Podman {
  public static final String JRE_IMAGE = "localhost/discs-jre:17";
  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

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
        [network]
        network_backend = "netavark"
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
   * passwd, CA certificates), unless podman already holds it.
   */
  public String debianJre(Path workDir) throws Exception {
    debianImages(
        workDir,
        "openjdk-17-jre-headless,curl,passwd,ca-certificates",
        Map.of(),
        Map.of(JRE_IMAGE, List.of("ENV PATH=" + PATH)));
    return JRE_IMAGE;
  }

  /**
   * Images made from one Debian 12 root ({@code debootstrap --variant=minbase} with {@code
   * include}, {@code files} written into it), each imported with its own Dockerfile-style changes
   * ({@code ENTRYPOINT}, {@code USER}, …); made only if podman lacks one of them.
   */
  public void debianImages(
      Path workDir, String include, Map<String, String> files, Map<String, List<String>> images)
      throws Exception {
    boolean all = true;
    for (String tag : images.keySet()) {
      all &= run(Duration.ofSeconds(30), "image", "exists", tag).ok();
    }
    if (all) {
      return;
    }
    SystemTools.require("debootstrap", "debootstrap");
    Path root = workDir.resolve("image-root");
    Processes.run(List.of("rm", "-rf", root.toString()));
    String mirror =
        System.getenv().getOrDefault("DISCS_DEBIAN_MIRROR", "http://deb.debian.org/debian");
    Processes.check(
        List.of(
            "debootstrap",
            "--variant=minbase",
            "--include=" + include,
            "bookworm",
            root.toString(),
            mirror),
        Duration.ofMinutes(15));
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path written = root.resolve(file.getKey());
      Files.createDirectories(written.getParent());
      Files.writeString(written, file.getValue());
      Files.setPosixFilePermissions(
          written, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    // What a container never reads: documentation, translations, apt's caches.
    Processes.check(
        List.of(
            "sh",
            "-c",
            "cd \"$0\" && rm -rf usr/share/doc/* usr/share/man/* usr/share/locale/*"
                + " var/cache/apt/*.bin var/cache/apt/archives/*.deb var/lib/apt/lists/*",
            root.toString()),
        Duration.ofMinutes(1));
    for (Map.Entry<String, List<String>> image : images.entrySet()) {
      List<String> command =
          new ArrayList<>(
              List.of("sh", "-c", "root=$1; shift; tar -C \"$root\" -c . | podman \"$@\"", "sh"));
      command.add(root.toString());
      command.add("import");
      for (String change : image.getValue()) {
        command.add("--change");
        command.add(change);
      }
      command.add("-");
      command.add(image.getKey());
      Processes.Result imported = Processes.run(command, environment(), Duration.ofMinutes(5));
      if (!imported.ok()) {
        throw new IllegalStateException(
            "podman import " + image.getKey() + ":\n" + imported.output());
      }
    }
    Processes.run(List.of("rm", "-rf", root.toString()));
  }
}
