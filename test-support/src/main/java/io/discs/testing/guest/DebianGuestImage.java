package io.discs.testing.guest;

import io.discs.testing.Processes;
import io.discs.testing.SystemTools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A Debian 12 system for tests, built once into a cache folder: a {@code debootstrap} minbase root
 * with the packages a person's machine has (stock {@code open-iscsi}, udev, a JRE), Debian's own
 * kernel unpacked with {@code dpkg -x}, and a busybox initramfs that loads the virtio and ext4
 * modules, mounts the root image and hands over to {@code /sbin/discs-guest-init}.
 *
 * <p>Building needs root (debootstrap, chroot) and Debian's package mirror; a later call with the
 * same cache folder reuses what the first one built.
 */
public final class DebianGuestImage {
  public static final String SUITE = "bookworm";

  /**
   * What a person who follows the README has installed, plus the busybox the initramfs runs, fio
   * for the block benchmark, and what an operator of a LIO host has (targetcli-fb and its rtslib;
   * the system D-Bus, which targetcli asks for user backstores and a systemd host always runs; curl
   * for the API).
   */
  private static final List<String> PACKAGES =
      List.of(
          "openjdk-17-jre-headless",
          "open-iscsi",
          "sg3-utils",
          "udev",
          "kmod",
          "iproute2",
          "procps",
          "fio",
          "busybox-static",
          "targetcli-fb",
          "python3-rtslib-fb",
          "dbus",
          "curl");

  /**
   * Module folders a guest needs (block, SCSI, iSCSI, CD-ROM, file systems, virtio); the rest is
   * sound and hardware.
   */
  private static final List<String> MODULE_DIRS =
      List.of(
          "arch",
          "block",
          "crypto",
          "fs",
          "lib",
          "mm",
          "net",
          "virt",
          "drivers/scsi",
          "drivers/target",
          "drivers/cdrom",
          "drivers/block",
          "drivers/virtio",
          "drivers/char");

  private static final List<String> MODULE_FILES =
      List.of("drivers/net/virtio_net.ko", "drivers/net/net_failover.ko");

  /** What the initramfs loads to reach the root image. */
  private static final List<String> BOOT_MODULES =
      List.of("virtio_pci", "virtio_blk", "crc32c_generic", "ext4");

  private final Path kernel;
  private final Path initramfs;
  private final Path rootImage;

  private DebianGuestImage(Path kernel, Path initramfs, Path rootImage) {
    this.kernel = kernel;
    this.initramfs = initramfs;
    this.rootImage = rootImage;
  }

  public Path kernel() {
    return kernel;
  }

  public Path initramfs() {
    return initramfs;
  }

  /** The root file system; guests open it with {@code snapshot=on}, so it never changes. */
  public Path rootImage() {
    return rootImage;
  }

  /**
   * The tools building and booting a guest needs, each skipped or failed with its Debian package.
   */
  public static void requireTools() {
    SystemTools.require("debootstrap", "debootstrap");
    SystemTools.require("qemu-system-x86_64", "qemu-system-x86");
    SystemTools.require("mkfs.ext4", "e2fsprogs");
    SystemTools.require("cpio", "cpio");
    SystemTools.require("socat", "socat");
    SystemTools.require("apt-get", "apt");
    SystemTools.require("dpkg", "dpkg");
  }

  /**
   * The image in the build folder ({@code target/debian-guest}), so one CI run builds it once, or
   * in {@code DISCS_GUEST_CACHE}, which keeps it across clean builds. Building needs root
   * (debootstrap, chroot): without it the test is skipped, under {@code CI=true} failed.
   */
  public static DebianGuestImage prepare() throws IOException, InterruptedException {
    if (!"root".equals(System.getProperty("user.name"))) {
      String message = "building the Debian guest needs root (debootstrap)";
      if ("true".equals(System.getenv("CI"))) {
        org.junit.jupiter.api.Assertions.fail(message);
      }
      org.junit.jupiter.api.Assumptions.abort(message);
    }
    String cache = System.getenv("DISCS_GUEST_CACHE");
    return prepare(
        cache != null ? Path.of(cache) : Path.of("target", "debian-guest").toAbsolutePath());
  }

  /** The image in {@code cache}, built there first if an earlier call has not. */
  public static synchronized DebianGuestImage prepare(Path cache)
      throws IOException, InterruptedException {
    requireTools();
    Files.createDirectories(cache);
    // Named after what goes into the image, so a cache built from another list is not reused.
    Path ready = cache.resolve("ready-" + recipe());
    Path rootImage = cache.resolve("root.img");
    Path initramfs = cache.resolve("initramfs.cpio.gz");
    if (Files.exists(ready)) {
      return new DebianGuestImage(Path.of(Files.readString(ready).strip()), initramfs, rootImage);
    }
    Path root = cache.resolve("rootfs");
    Path kernelDir = cache.resolve("kernel");
    deleteTree(root);
    deleteTree(kernelDir);
    String mirror =
        System.getenv().getOrDefault("DISCS_DEBIAN_MIRROR", "http://deb.debian.org/debian");
    Processes.check(
        List.of(
            "debootstrap",
            "--variant=minbase",
            "--include=" + String.join(",", PACKAGES),
            SUITE,
            root.toString(),
            mirror),
        Duration.ofMinutes(20));
    String version = unpackKernel(cache, kernelDir);
    installModules(kernelDir, root, version);
    Files.writeString(root.resolve("sbin/discs-guest-init"), resource("discs-guest-init.sh"));
    Files.setPosixFilePermissions(
        root.resolve("sbin/discs-guest-init"), PosixFilePermissions.fromString("rwxr-xr-x"));
    buildInitramfs(cache, root, version, initramfs);
    long megabytes = sizeOf(root) / (1024 * 1024) + 400;
    Processes.check(
        List.of(
            "mkfs.ext4",
            "-q",
            "-F",
            "-L",
            "discs-root",
            "-d",
            root.toString(),
            rootImage.toString(),
            megabytes + "M"),
        Duration.ofMinutes(10));
    Path kernel = kernelDir.resolve("boot/vmlinuz-" + version);
    Files.writeString(ready, kernel.toString());
    return new DebianGuestImage(kernel, initramfs, rootImage);
  }

  private static String recipe() throws IOException {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(
                  (String.join(",", PACKAGES) + "\n" + resource("discs-guest-init.sh"))
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Debian's current kernel for the suite, as {@code linux-image-amd64} names it; answers its
   * version.
   */
  private static String unpackKernel(Path cache, Path kernelDir)
      throws IOException, InterruptedException {
    Processes.Result known =
        Processes.run(List.of("apt-cache", "depends", "linux-image-amd64"), Duration.ofMinutes(1));
    if (!known.ok() || !known.output().contains("Depends: linux-image-")) {
      Processes.check(
          List.of("apt-get", "update", "-qq"),
          Duration.ofMinutes(10)); // a machine whose lists are stale
    }
    String depends =
        Processes.check(
            List.of("apt-cache", "depends", "linux-image-amd64"), Duration.ofMinutes(1));
    String kernelPackage =
        depends
            .lines()
            .map(String::strip)
            .filter(l -> l.startsWith("Depends: linux-image-"))
            .map(l -> l.substring("Depends: ".length()))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "apt-cache knows no linux-image-amd64 (run apt-get update):\n" + depends));
    Path downloads = Files.createDirectories(cache.resolve("downloads"));
    Processes.check(
        List.of(
            "sh",
            "-c",
            "cd \"$0\" && apt-get download \"$1\"",
            downloads.toString(),
            kernelPackage),
        Duration.ofMinutes(10));
    Path deb;
    try (Stream<Path> files = Files.list(downloads)) {
      deb =
          files
              .filter(f -> f.getFileName().toString().startsWith(kernelPackage + "_"))
              .findFirst()
              .orElseThrow(
                  () -> new IllegalStateException("apt-get download left no " + kernelPackage));
    }
    Processes.check(
        List.of("dpkg", "-x", deb.toString(), kernelDir.toString()), Duration.ofMinutes(5));
    try (Stream<Path> versions = Files.list(kernelDir.resolve("lib/modules"))) {
      return versions.findFirst().orElseThrow().getFileName().toString();
    }
  }

  private static void installModules(Path kernelDir, Path root, String version)
      throws IOException, InterruptedException {
    Path from = kernelDir.resolve("lib/modules").resolve(version);
    Path to = root.resolve("lib/modules").resolve(version);
    deleteTree(to);
    Files.createDirectories(to.resolve("kernel"));
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
    for (String dir : MODULE_DIRS) {
      copyTree(from.resolve("kernel").resolve(dir), to.resolve("kernel").resolve(dir));
    }
    for (String file : MODULE_FILES) {
      Path target = to.resolve("kernel").resolve(file);
      Files.createDirectories(target.getParent());
      Files.copy(from.resolve("kernel").resolve(file), target);
    }
    Processes.check(List.of("chroot", root.toString(), "depmod", version), Duration.ofMinutes(2));
  }

  private static void buildInitramfs(Path cache, Path root, String version, Path output)
      throws IOException, InterruptedException {
    Path tree = cache.resolve("initramfs");
    deleteTree(tree);
    for (String dir : List.of("bin", "modules", "proc", "sys", "dev", "newroot")) {
      Files.createDirectories(tree.resolve(dir));
    }
    Files.copy(root.resolve("bin/busybox"), tree.resolve("bin/busybox"));
    Path modules = root.resolve("lib/modules").resolve(version);
    List<String> order = new ArrayList<>();
    for (String module : loadOrder(modules)) {
      Path file = modules.resolve(module);
      Files.copy(
          file,
          tree.resolve("modules").resolve(file.getFileName()),
          StandardCopyOption.REPLACE_EXISTING);
      order.add(file.getFileName().toString());
    }
    Files.write(tree.resolve("modules/order"), order);
    Files.writeString(tree.resolve("init"), resource("initramfs-init.sh"));
    Files.setPosixFilePermissions(
        tree.resolve("init"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(
        tree.resolve("bin/busybox"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Processes.check(
        List.of(
            "sh",
            "-c",
            "cd \"$0\" && find . | cpio -o -H newc --quiet | gzip -1 > \"$1\"",
            tree.toString(),
            output.toString()),
        Duration.ofMinutes(2));
  }

  /**
   * The boot modules and what they need, each after its dependencies, as {@code modprobe} would
   * load them.
   */
  static List<String> loadOrder(Path modules) throws IOException {
    Map<String, List<String>> dependencies = new java.util.HashMap<>();
    Map<String, String> byName = new java.util.HashMap<>();
    for (String line : Files.readAllLines(modules.resolve("modules.dep"), StandardCharsets.UTF_8)) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String path = line.substring(0, colon);
      String rest = line.substring(colon + 1).strip();
      dependencies.put(path, rest.isEmpty() ? List.of() : List.of(rest.split("\\s+")));
      String name = Path.of(path).getFileName().toString();
      byName.put(name.substring(0, name.indexOf('.')).replace('-', '_'), path);
    }
    Set<String> ordered = new LinkedHashSet<>();
    for (String module : BOOT_MODULES) {
      String path = byName.get(module);
      if (path == null) {
        throw new IllegalStateException("the kernel has no module " + module);
      }
      visit(path, dependencies, ordered);
    }
    return List.copyOf(ordered);
  }

  private static void visit(
      String path, Map<String, List<String>> dependencies, Set<String> ordered) {
    if (ordered.contains(path)) {
      return;
    }
    for (String dependency : dependencies.getOrDefault(path, List.of())) {
      visit(dependency, dependencies, ordered);
    }
    ordered.add(path);
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = DebianGuestImage.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static long sizeOf(Path root) throws IOException {
    long[] total = {0};
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            total[0] += attributes.size();
            return FileVisitResult.CONTINUE;
          }
        });
    return total[0];
  }

  private static void copyTree(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    // rm, not a Java walk: a debootstrap tree holds device nodes and may still have proc mounted.
    try {
      Processes.check(
          List.of("rm", "-rf", "--one-file-system", root.toString()), Duration.ofMinutes(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while removing " + root, e);
    }
  }
}
