package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.testing.Processes;
import io.discs.testing.SystemTools;
import io.discs.testing.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** infra/'s compose file and systemd unit are accepted by the tools that will run them. */
class DeploymentFilesTest {
  private static final Path INFRA = Path.of("..", "infra");

  @Test
  void theComposeFileIsValid() throws Exception {
    Processes.Result config =
        composeConfig("DISCS_CLUSTER_SECRET=0123456789abcdef0123456789abcdef");
    assertThat(config.exitCode()).as(config.output()).isZero();
    assertThat(config.output())
        .contains("gateway:", "images:", "targets:", "postgres:", "prometheus:", "grafana:")
        .contains("DISCS_SERVICES: targets,sessions", "DISCS_SERVICES: images,audit");
  }

  @Test
  void theComposeFileWantsAClusterSecret() throws Exception {
    Processes.Result config = composeConfig("-u", "DISCS_CLUSTER_SECRET");
    assertThat(config.exitCode()).isNotZero();
    assertThat(config.output()).contains("set DISCS_CLUSTER_SECRET");
  }

  /** {@code docker-compose config} on infra/compose.yaml, with {@code env}'s arguments first. */
  private static Processes.Result composeConfig(String... environment) throws Exception {
    List<String> command = new ArrayList<>(List.of("env"));
    command.addAll(List.of(environment));
    command.addAll(
        List.of(
            SystemTools.require("docker-compose", "docker-compose").toString(),
            "-f",
            INFRA.resolve("compose.yaml").toString(),
            "config"));
    return Processes.run(command, Duration.ofMinutes(1));
  }

  @Test
  void theSystemdUnitVerifies() throws Exception {
    String analyze = SystemTools.require("systemd-analyze", "systemd").toString();
    Path dir = TempDirs.create("unit");
    // A template verifies as one of its instances.
    Path unit = dir.resolve("discs@main.service");
    Files.copy(INFRA.resolve("systemd").resolve("discs@.service"), unit);
    Processes.Result verify =
        Processes.run(List.of(analyze, "verify", unit.toString()), Duration.ofMinutes(1));
    assertThat(verify.exitCode()).as(verify.output()).isZero();
    assertThat(verify.output()).doesNotContain("Unknown key", "Unknown section");
  }
}
