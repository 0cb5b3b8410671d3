package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerJarTest {
  @TempDir Path dir;

  @Test
  void leavesOutThePostgresBinariesOfOtherSystemsAndKeepsTheRest() throws Exception {
    Path jar = dir.resolve("discs.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (String name :
          List.of(
              "META-INF/MANIFEST.MF",
              "io/discs/standalone/StandaloneMain.class",
              "postgres-darwin-x86_64.txz",
              "postgres-windows-x86_64.txz",
              "postgres-linux-x86_64.txz",
              "postgres-linux-x86_64-alpine_linux.txz",
              "postgres-linux-arm64v8.txz")) {
        out.putNextEntry(new ZipEntry(name));
        out.write(name.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }

    long[] dropped = ContainerJar.copyForLinux(jar, dir.resolve("slim.jar"));

    List<String> kept = new ArrayList<>();
    try (ZipFile slim = new ZipFile(dir.resolve("slim.jar").toFile())) {
      slim.stream().forEach(entry -> kept.add(entry.getName()));
      assertThat(
              new String(
                  slim.getInputStream(slim.getEntry("postgres-linux-x86_64.txz")).readAllBytes(),
                  StandardCharsets.UTF_8))
          .isEqualTo("postgres-linux-x86_64.txz");
    }
    assertThat(kept)
        .containsExactly(
            "META-INF/MANIFEST.MF",
            "io/discs/standalone/StandaloneMain.class",
            "postgres-linux-x86_64.txz",
            "postgres-linux-arm64v8.txz");
    assertThat(dropped[0]).isEqualTo(3);
  }
}
