package io.discs.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscsConfigTest {

  @Test
  void startsWithTheDocumentedDefaultsWhenNothingIsSet() {
    DiscsConfig config = DiscsConfig.from(Map.of());

    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.dataDir()).isEqualTo(Path.of("./data").toAbsolutePath().normalize());
    assertThat(config.externalDatabase()).isEmpty();
    assertThat(config.targets().backend()).isEqualTo(IscsiBackendKind.EMBEDDED);
    assertThat(config.targets().portal().port()).isEqualTo(3260);
    assertThat(config.targets().listen()).isEqualTo(new HostPort("0.0.0.0", 3260));
    assertThat(config.targets().iqnAuthority()).isEqualTo("iqn.2026-01.io.discs");
    assertThat(config.security().configuredAdminPassword()).isEmpty();
    assertThat(config.security().tokenMinutes()).isEqualTo(15);
    assertThat(config.security().jwtPrivateKey()).isNull();
    assertThat(config.sessions().leaseSeconds()).isEqualTo(90);
    assertThat(config.sessions().heartbeatSeconds()).isEqualTo(30);
    assertThat(config.uploads().maxImageBytes()).isEqualTo(17_179_869_184L);
    assertThat(config.sessions().maxPerUser()).isEqualTo(4);
    assertThat(config.cluster().enabled()).isFalse();
    assertThat(config.cluster().members()).containsExactly("127.0.0.1");
  }

  @Test
  void readsEveryDocumentedVariable() {
    DiscsConfig config =
        DiscsConfig.from(
            Map.ofEntries(
                Map.entry("DISCS_HTTP_PORT", "9090"),
                Map.entry("DISCS_DB_URL", "postgresql://discs:s3cret@db.example:6543/discs"),
                Map.entry("DISCS_ISCSI_BACKEND", "tgt"),
                Map.entry("DISCS_ISCSI_PORTAL", "192.0.2.10:3261"),
                Map.entry("DISCS_IQN_AUTHORITY", "iqn.2025-12.org.example"),
                Map.entry("DISCS_ADMIN_PASSWORD", "correct horse battery"),
                Map.entry("DISCS_LEASE_SECONDS", "120"),
                Map.entry("DISCS_HEARTBEAT_SECONDS", "20"),
                Map.entry("DISCS_MAX_IMAGE_BYTES", "1048576"),
                Map.entry("DISCS_MAX_SESSIONS_PER_USER", "2"),
                Map.entry("DISCS_CLUSTER", "true"),
                Map.entry("DISCS_CLUSTER_SECRET", "a-cluster-secret-of-32-characters!"),
                Map.entry("DISCS_CLUSTER_MEMBERS", "10.0.0.1, 10.0.0.2:5702")));

    assertThat(config.httpPort()).isEqualTo(9090);
    assertThat(config.dbUrl())
        .isEqualTo(new DatabaseUrl("db.example", 6543, "discs", "discs", "s3cret"));
    assertThat(config.targets().backend()).isEqualTo(IscsiBackendKind.TGT);
    assertThat(config.targets().portal()).isEqualTo(new HostPort("192.0.2.10", 3261));
    assertThat(config.targets().listen()).isEqualTo(new HostPort("0.0.0.0", 3261));
    assertThat(config.targets().iqnAuthority()).isEqualTo("iqn.2025-12.org.example");
    assertThat(config.security().adminPassword()).isEqualTo("correct horse battery");
    assertThat(config.sessions().leaseSeconds()).isEqualTo(120);
    assertThat(config.sessions().heartbeatSeconds()).isEqualTo(20);
    assertThat(config.uploads().maxImageBytes()).isEqualTo(1_048_576L);
    assertThat(config.sessions().maxPerUser()).isEqualTo(2);
    assertThat(config.cluster().enabled()).isTrue();
    assertThat(config.cluster().members()).containsExactly("10.0.0.1", "10.0.0.2:5702");
  }

  @Test
  void rejectsANonNumericPortWithOneLineNamingTheVariable() {
    assertThatThrownBy(() -> DiscsConfig.from(Map.of("DISCS_HTTP_PORT", "abc")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("DISCS_HTTP_PORT must be a port number from 1 to 65535, got 'abc'");
  }

  @Test
  void rejectsValuesOutsideTheirRange() {
    assertThatThrownBy(() -> DiscsConfig.from(Map.of("DISCS_HTTP_PORT", "70000")))
        .hasMessageStartingWith("DISCS_HTTP_PORT ");
    assertThatThrownBy(() -> DiscsConfig.from(Map.of("DISCS_ISCSI_BACKEND", "iet")))
        .hasMessage("DISCS_ISCSI_BACKEND must be one of embedded, tgt, lio, got 'iet'");
    assertThatThrownBy(() -> DiscsConfig.from(Map.of("DISCS_CLUSTER", "maybe")))
        .hasMessageStartingWith("DISCS_CLUSTER ");
    assertThatThrownBy(
            () -> DiscsConfig.from(Map.of("DISCS_IQN_AUTHORITY", "iqn.2026-13.Bad_Name")))
        .hasMessageStartingWith("DISCS_IQN_AUTHORITY ");
    assertThatThrownBy(() -> DiscsConfig.from(Map.of("DISCS_ISCSI_PORTAL", "no-port")))
        .hasMessageStartingWith("DISCS_ISCSI_PORTAL ");
    assertThatThrownBy(() -> DiscsConfig.from(Map.of("DISCS_CLUSTER_MEMBERS", "a b; rm -rf /")))
        .hasMessageStartingWith("DISCS_CLUSTER_MEMBERS ");
  }

  @Test
  void runsEveryServiceByDefaultAndASubsetOnlyInACluster() {
    assertThat(DiscsConfig.from(Map.of()).runsAll()).isTrue();
    assertThatThrownBy(() -> DiscsConfig.from(Map.of("DISCS_SERVICES", "gateway,images")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DISCS_CLUSTER=true");
    assertThatThrownBy(() -> DiscsConfig.from(Map.of("DISCS_SERVICES", "gateway,printer")))
        .hasMessageStartingWith("DISCS_SERVICES must be a comma-separated list");
    assertThatThrownBy(() -> DiscsConfig.from(Map.of("DISCS_CLUSTER", "true")))
        .as("members prove themselves with keys from the secret")
        .hasMessage("DISCS_CLUSTER=true needs DISCS_CLUSTER_SECRET");
    DiscsConfig node =
        DiscsConfig.from(
            Map.of(
                "DISCS_SERVICES",
                "images, audit",
                "DISCS_CLUSTER",
                "true",
                "DISCS_CLUSTER_SECRET",
                "a-cluster-secret-of-32-characters!"));
    assertThat(node.services()).containsExactly(ServiceRole.IMAGES, ServiceRole.AUDIT);
    assertThat(node.runs(ServiceRole.GATEWAY)).isFalse();
  }

  @Test
  void anInternalListenerNeedsAClusterSecretLongEnoughAndAdvertisesTheNodesHost() {
    String secret = "a-cluster-secret-of-32-characters!";
    assertThatThrownBy(() -> DiscsConfig.from(Map.of("DISCS_INTERNAL_LISTEN", "0.0.0.0:7070")))
        .hasMessage("DISCS_INTERNAL_LISTEN needs DISCS_CLUSTER_SECRET");
    assertThatThrownBy(() -> DiscsConfig.from(Map.of("DISCS_CLUSTER_SECRET", "too-short-secret")))
        .hasMessageStartingWith("DISCS_CLUSTER_SECRET must be at least 32 characters")
        .hasMessageNotContaining("too-short-secret");
    ClusterConfig cluster =
        DiscsConfig.from(
                Map.of(
                    "DISCS_INTERNAL_LISTEN", "0.0.0.0:7070",
                    "DISCS_CLUSTER_SECRET", secret,
                    "DISCS_CLUSTER_HOST", "10.1.2.3"))
            .cluster();
    assertThat(cluster.advertisedInternalListen()).isEqualTo(new HostPort("10.1.2.3", 7070));
    assertThat(cluster.toString()).doesNotContain(secret);
  }

  @Test
  void refusesAHeartbeatThatDoesNotFitInsideTheLease() {
    assertThatThrownBy(
            () ->
                DiscsConfig.from(
                    Map.of("DISCS_LEASE_SECONDS", "30", "DISCS_HEARTBEAT_SECONDS", "30")))
        .hasMessageStartingWith("DISCS_HEARTBEAT_SECONDS must be");
  }

  @Test
  void neverEchoesSecretsInItsErrors() {
    assertThatThrownBy(() -> DiscsConfig.from(Map.of("DISCS_ADMIN_PASSWORD", "short")))
        .hasMessageStartingWith("DISCS_ADMIN_PASSWORD ")
        .hasMessageNotContaining("short");
    assertThatThrownBy(() -> DiscsConfig.from(Map.of("DISCS_DB_URL", "mysql://u:hunter2@h/db")))
        .hasMessageStartingWith("DISCS_DB_URL ")
        .hasMessageNotContaining("hunter2");
    assertThat(DiscsConfig.from(Map.of("DISCS_DB_URL", "postgresql://u:hunter2@h/db")).toString())
        .doesNotContain("hunter2");
  }

  @Test
  void systemPropertiesOverrideTheEnvironmentAndTheFileOverridesBoth(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("discs.properties");
    Files.writeString(file, "DISCS_LEASE_SECONDS=300\n");
    Properties system = new Properties();
    system.setProperty("discs.http.port", "9191");
    system.setProperty("discs.lease.seconds", "200");
    system.setProperty("discs.config.file", file.toString());

    Map<String, String> merged =
        ConfigSources.merge(
            Map.of("DISCS_HTTP_PORT", "9000", "DISCS_LEASE_SECONDS", "100", "PATH", "/usr/bin"),
            system);
    DiscsConfig config = DiscsConfig.from(merged);

    assertThat(config.httpPort()).isEqualTo(9191);
    assertThat(config.sessions().leaseSeconds()).isEqualTo(300);
    assertThat(merged).doesNotContainKey("PATH");
  }

  @Test
  void aConfigFileWithAnUnknownKeyStopsStartUp(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("discs.properties");
    Files.writeString(file, "DISCS_HTTP_PROT=8081\n");

    assertThatThrownBy(
            () ->
                ConfigSources.merge(Map.of("DISCS_CONFIG_FILE", file.toString()), new Properties()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DISCS_HTTP_PROT");
  }

  @Test
  void aMissingConfigFileStopsStartUp(@TempDir Path dir) {
    String missing = dir.resolve("absent.properties").toString();
    assertThatThrownBy(
            () -> ConfigSources.merge(Map.of("DISCS_CONFIG_FILE", missing), new Properties()))
        .hasMessageStartingWith("DISCS_CONFIG_FILE: cannot read");
  }

  @Test
  void wantsBothJwtKeyFilesOrNeither() {
    assertThatThrownBy(
            () -> DiscsConfig.from(Map.of("DISCS_JWT_PRIVATE_KEY", "/etc/discs/jwt.pem")))
        .hasMessageStartingWith("DISCS_JWT_PUBLIC_KEY ");
  }
}
