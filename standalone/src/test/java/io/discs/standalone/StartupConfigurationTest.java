package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up with a bad setting, as a person would run it: a separate JVM, its exit code and its
 * output.
 */
class StartupConfigurationTest {

  @Test
  void aNonNumericPortStopsStartUpWithOneLineNamingTheVariable(@TempDir Path dataDir)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            java, "-cp", System.getProperty("java.class.path"), StandaloneMain.class.getName());
    builder.environment().put("DISCS_HTTP_PORT", "abc");
    builder.environment().put("DISCS_DATA_DIR", dataDir.toString());
    builder.redirectErrorStream(true);
    builder.redirectOutput(dataDir.resolve("out.txt").toFile());

    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    List<String> lines = Files.readAllLines(dataDir.resolve("out.txt"), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).isNotZero();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .contains("DISCS_HTTP_PORT")
        .contains("abc")
        .doesNotContain("Exception");
    assertThat(new File(dataDir.toFile(), "postgres")).doesNotExist();
  }
}
