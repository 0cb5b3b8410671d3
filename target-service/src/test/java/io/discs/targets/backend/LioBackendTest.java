package io.discs.targets.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.discs.platform.config.HostPort;
import io.discs.platform.targets.DeviceType;
import io.discs.targets.command.CommandRunner;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The exact targetcli argument vectors, in order, recorded by a stand-in. */
@ExtendWith(VertxExtension.class)
class LioBackendTest {
  private static final String IQN = "iqn.2026-01.io.discs:0a1b2c3d.00112233aabbccdd";
  private static final String INITIATOR = "iqn.1993-08.org.debian:01:client";
  private static final String SHA = "ab".repeat(32);
  private static final String BACKSTORE = "discs-0a1b2c3d-00112233aabbccdd";

  @TempDir Path dir;
  private Path store;
  private LioBackend lio;

  @BeforeEach
  void standIn(Vertx vertx) throws Exception {
    Path script = dir.resolve("targetcli");
    try (InputStream in = getClass().getResourceAsStream("/targetcli-standin.sh")) {
      Files.copy(in, script);
    }
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    store = dir.resolve("images");
    CommandRunner runner =
        CommandRunner.create(
            vertx.createSharedWorkerExecutor("lio-test", 1),
            Map.of("targetcli", script.toString()));
    lio = new LioBackend(runner, store, new HostPort("0.0.0.0", 3260));
  }

  @Test
  void createsAReadOnlyTargetInTheDocumentedOrder() throws Exception {
    lio.create(spec(null)).await(20, TimeUnit.SECONDS);

    assertThat(recorded())
        .containsExactly(
            "set global auto_add_mapped_luns=false auto_add_default_portal=false",
            "/backstores/fileio create name=" + BACKSTORE + " file_or_dev=" + blob(),
            "/iscsi create " + IQN,
            "/iscsi/"
                + IQN
                + "/tpg1 set attribute authentication=1 generate_node_acls=0 cache_dynamic_acls=0 "
                + "demo_mode_write_protect=1 prod_mode_write_protect=1",
            "/iscsi/" + IQN + "/tpg1/luns create /backstores/fileio/" + BACKSTORE,
            "/iscsi/" + IQN + "/tpg1/portals create 0.0.0.0 3260",
            "/iscsi/" + IQN + "/tpg1/acls create " + INITIATOR + " add_mapped_luns=false",
            "/iscsi/"
                + IQN
                + "/tpg1/acls/"
                + INITIATOR
                + " create mapped_lun=0 tpg_lun_or_backstore=lun0 write_protect=1",
            "stdin: /iscsi/"
                + IQN
                + "/tpg1/acls/"
                + INITIATOR
                + " set auth userid=discs-user1 password=Secret0123456789",
            "saveconfig",
            "ls /iscsi/" + IQN + "/tpg1/acls/" + INITIATOR);
  }

  @Test
  @org.junit.jupiter.api.Tag("security")
  void setsMutualChapOnTheSameAcl() throws Exception {
    lio.create(spec(new TargetSpec.Chap("discs-t-user2", "Mutual0123456789")))
        .await(20, TimeUnit.SECONDS);

    assertThat(recorded())
        .contains(
            "stdin: /iscsi/"
                + IQN
                + "/tpg1/acls/"
                + INITIATOR
                + " set auth userid=discs-user1 "
                + "password=Secret0123456789 mutual_userid=discs-t-user2 mutual_password=Mutual0123456789");
    List<String> onCommandLines =
        recorded().stream().filter(line -> !line.startsWith("stdin:")).toList();
    io.discs.testing.security.SecurityReport.record(
        "Smaller: CHAP secrets are passed on command lines",
        "create a LIO target with CHAP and mutual CHAP (recording targetcli stand-in)",
        "no secret in any targetcli argument vector; the auth command on standard input",
        onCommandLines.stream().anyMatch(l -> l.contains("Secret0123") || l.contains("Mutual0123"))
            ? "a secret on a command line"
            : "none on command lines; auth on standard input");
    assertThat(onCommandLines)
        .noneMatch(line -> line.contains("Secret0123") || line.contains("Mutual0123"));
  }

  @Test
  void namesLunZeroTheLunItMaps() {
    // Sessions tell initiators this LUN; the ACL maps the disc as mapped_lun=0 (LioGuestTest).
    assertThat(lio.lun()).isZero();
  }

  @Test
  void deletesTheAclFirstThenTheTargetThenTheBackstore() throws Exception {
    lio.create(spec(null)).await(20, TimeUnit.SECONDS);
    Files.delete(dir.resolve("record.log"));

    lio.delete(IQN).await(20, TimeUnit.SECONDS);

    assertThat(recorded())
        .containsExactly(
            "ls /iscsi/" + IQN + "/tpg1/acls",
            "/iscsi/" + IQN + "/tpg1/acls delete " + INITIATOR,
            "/iscsi delete " + IQN,
            "/backstores/fileio delete " + BACKSTORE,
            "saveconfig");
  }

  @Test
  void undoesEverythingWhenAStepFails() throws Exception {
    Files.writeString(dir.resolve("fail-on"), "userid=");

    assertThatThrownBy(() -> lio.create(spec(null)).await(20, TimeUnit.SECONDS))
        .hasMessageContaining("LIO backend refused")
        .hasMessageNotContaining("Secret0123456789");

    List<String> calls = recorded();
    assertThat(calls.subList(calls.size() - 4, calls.size()))
        .containsExactly(
            "/iscsi/" + IQN + "/tpg1/acls delete " + INITIATOR,
            "/iscsi delete " + IQN,
            "/backstores/fileio delete " + BACKSTORE,
            "saveconfig");
    assertThat(lio.list().await(10, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void listsTheTargetsTargetcliReports() throws Exception {
    lio.create(spec(null)).await(20, TimeUnit.SECONDS);

    assertThat(lio.list().await(10, TimeUnit.SECONDS))
        .extracting(BackendTarget::iqn)
        .containsExactly(IQN);
  }

  private TargetSpec spec(TargetSpec.Chap mutual) {
    return new TargetSpec(
        IQN,
        Path.of(blob()),
        DeviceType.DISK,
        INITIATOR,
        new TargetSpec.Chap("discs-user1", "Secret0123456789"),
        mutual);
  }

  private String blob() {
    return store.resolve("sha256/ab/" + SHA).toString();
  }

  private List<String> recorded() throws Exception {
    return Files.readAllLines(dir.resolve("record.log")).stream()
        .map(line -> String.join(" ", Arrays.asList(line.split("\u001f"))).strip())
        .toList();
  }
}
