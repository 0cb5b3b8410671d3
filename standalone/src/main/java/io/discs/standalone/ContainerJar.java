package io.discs.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Writes a copy of the server jar for a glibc Linux container: without the embedded PostgreSQL
 * binaries for macOS, Windows and Alpine (musl), about half the jar. Run by the Dockerfile's first
 * stage with the base image's own Java, so the build needs no zip tool: {@code java -cp discs.jar
 * io.discs.standalone.ContainerJar discs.jar slim.jar}.
 */
public final class ContainerJar {
  private ContainerJar() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: ContainerJar <server jar> <jar to write>");
      System.exit(2);
    }
    long[] dropped = copyForLinux(Path.of(args[0]), Path.of(args[1]));
    System.out.printf("left out %d entries (%d MiB)%n", dropped[0], dropped[1] >> 20);
  }

  /** The entries kept, in order; returns how many entries and bytes were left out. */
  static long[] copyForLinux(Path jar, Path slim) throws IOException {
    long entries = 0;
    long bytes = 0;
    try (InputStream file = Files.newInputStream(jar);
        ZipInputStream in = new ZipInputStream(file);
        OutputStream target = Files.newOutputStream(slim);
        ZipOutputStream out = new ZipOutputStream(target)) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        if (!neededOnGlibcLinux(entry.getName())) {
          entries++;
          bytes += in.transferTo(OutputStream.nullOutputStream());
          continue;
        }
        ZipEntry copy = new ZipEntry(entry.getName());
        copy.setTime(entry.getTime());
        out.putNextEntry(copy);
        in.transferTo(out);
        out.closeEntry();
      }
    }
    return new long[] {entries, bytes};
  }

  /** PostgreSQL bundles are named postgres-<os>-<arch>[-alpine_linux].txz. */
  static boolean neededOnGlibcLinux(String name) {
    if (!name.startsWith("postgres-") || !name.endsWith(".txz") || name.contains("/")) {
      return true;
    }
    return name.startsWith("postgres-linux-") && !name.contains("alpine");
  }
}
