package io.discs.targets.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.discs.platform.config.HostPort;
import io.discs.platform.targets.DeviceType;
import io.discs.targets.chap.ChapCredentials;
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
  private static final String BACKSTORE = "discs-" + "ab".repeat(16);

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
    lio =
        new LioBackend(
            runner,
            new LioConfigfs(dir.resolve("configfs"), vertx.createSharedWorkerExecutor("lio-fs", 1)),
            store,
            new HostPort("0.0.0.0", 3260));
  }

  @Test
  void createsAReadOnlyTargetWithTheCommandsRealTargetcliRan() throws Exception {
    lio.create(spec(null)).await(20, TimeUnit.SECONDS);

    assertThat(asLogged(recorded())).containsExactlyElementsOf(lifecycle("create"));
  }

  @Test
  void deletesTheAclFirstThenTheTargetThenTheBackstore() throws Exception {
    lio.create(spec(null)).await(20, TimeUnit.SECONDS);
    Files.delete(dir.resolve("record.log"));

    lio.delete(IQN).await(20, TimeUnit.SECONDS);

    assertThat(asLogged(recorded())).containsExactlyElementsOf(lifecycle("delete"));
    assertThat(lio.list().await(10, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  @org.junit.jupiter.api.Tag("security")
  void setsMutualChapOnTheSameAcl() throws Exception {
    lio.create(spec(new ChapCredentials("discs-t-user2", "Mutual0123456789")))
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
  void listsWhatConfigfsHolds() throws Exception {
    lio.create(spec(null)).await(20, TimeUnit.SECONDS);

    assertThat(lio.list().await(10, TimeUnit.SECONDS))
        .containsExactly(
            new BackendTarget(IQN, List.of(INITIATOR), List.of("discs-user1"), true, List.of()));
  }

  @Test
  void refusesATargetLioDidNotMakeReadOnlyAndUndoesIt() throws Exception {
    Files.writeString(dir.resolve("writable"), "");

    assertThatThrownBy(() -> lio.create(spec(null)).await(20, TimeUnit.SECONDS))
        .hasMessageContaining("read-only");
    assertThat(lio.list().await(10, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void noticesAStepTargetcliAnsweredZeroForWithoutDoingIt() throws Exception {
    Files.writeString(dir.resolve("ignore-on"), "userid=");

    assertThatThrownBy(() -> lio.create(spec(null)).await(20, TimeUnit.SECONDS))
        .hasMessageContaining("CHAP");
    assertThat(lio.list().await(10, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void deletingATargetThatIsGoneSucceedsAsRealTargetcliAnswers() throws Exception {
    lio.create(spec(null)).await(20, TimeUnit.SECONDS);
    lio.delete(IQN).await(20, TimeUnit.SECONDS);

    lio.delete(IQN).await(20, TimeUnit.SECONDS);
    lio.create(spec(null)).await(20, TimeUnit.SECONDS);
    lio.create(spec(null)).await(20, TimeUnit.SECONDS);

    assertThat(lio.list().await(10, TimeUnit.SECONDS))
        .extracting(BackendTarget::iqn)
        .containsExactly(IQN);
  }

  @Test
  void targetsOfOneImageShareItsBackstoreUntilTheLastGoes() throws Exception {
    String second = "iqn.2026-01.io.discs:0a1b2c3d.99887766aabbccdd";
    lio.create(spec(null)).await(20, TimeUnit.SECONDS);
    lio.create(spec(second, null)).await(20, TimeUnit.SECONDS);
    assertThat(Files.isDirectory(dir.resolve("backstores").resolve(BACKSTORE))).isTrue();

    lio.delete(IQN).await(20, TimeUnit.SECONDS);
    assertThat(recorded()).noneMatch(call -> call.contains("/backstores/fileio delete"));
    assertThat(lio.list().await(10, TimeUnit.SECONDS))
        .extracting(BackendTarget::iqn)
        .containsExactly(second);

    lio.delete(second).await(20, TimeUnit.SECONDS);
    assertThat(recorded()).contains("/backstores/fileio delete " + BACKSTORE);
    assertThat(Files.exists(dir.resolve("backstores").resolve(BACKSTORE))).isFalse();
  }

  @Test
  void servesDisksOnly() {
    assertThat(lio.deviceTypes()).containsExactly(DeviceType.DISK);
  }

  @Test
  void reportsWhoIsLoggedInFromTheAclsInfo() throws Exception {
    lio.create(spec(null)).await(20, TimeUnit.SECONDS);
    try (InputStream info = getClass().getResourceAsStream("/lio/acl-info-logged-in.txt")) {
      Files.copy(
          info,
          dir.resolve("configfs").resolve(IQN).resolve("tpgt_1/acls").resolve(INITIATOR + "/info"));
    }

    assertThat(lio.sessions(IQN).await(10, TimeUnit.SECONDS))
        .containsExactly(new InitiatorSession(INITIATOR, "10.0.2.15"));
    assertThat(lio.list().await(10, TimeUnit.SECONDS).get(0).sessions()).hasSize(1);
  }

  @Test
  void nobodyIsLoggedInWhenTheKernelSaysSo() {
    assertThat(
            LioConfigfs.sessions(
                "No active iSCSI Session for Initiator Endpoint: " + INITIATOR + "\n"))
        .isEmpty();
  }

  /** The recorded stand-in calls as CommandRunner logs them, the target's values as names. */
  private List<String> asLogged(List<String> calls) {
    return calls.stream()
        .map(
            call ->
                call.startsWith("stdin: ")
                    ? "targetcli <<< " + call.substring(7)
                    : "targetcli " + call)
        .map(
            call ->
                call.replace("password=Secret0123456789", "password=<secret>")
                    .replace(blob(), "{BLOB}")
                    .replace(BACKSTORE, "{BACKSTORE}")
                    .replace(IQN, "{IQN}")
                    .replace(INITIATOR, "{INITIATOR}")
                    .replace("userid=discs-user1", "userid={USER}")
                    .replace("create 0.0.0.0 3260", "create {PORTAL_HOST} {PORTAL_PORT}"))
        .toList();
  }

  /** One part ({@code create} or {@code delete}) of lio/targetcli-lifecycle.txt. */
  private List<String> lifecycle(String part) throws Exception {
    List<String> lines;
    try (InputStream in = getClass().getResourceAsStream("/lio/targetcli-lifecycle.txt")) {
      lines =
          new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    }
    List<String> wanted = new java.util.ArrayList<>();
    boolean inPart = false;
    for (String line : lines) {
      if (line.startsWith("# ") && line.indexOf(' ', 2) < 0) {
        inPart = line.equals("# " + part);
      } else if (inPart && !line.isBlank()) {
        wanted.add(line);
      }
    }
    return wanted;
  }

  private TargetSpec spec(ChapCredentials mutual) {
    return spec(IQN, mutual);
  }

  private TargetSpec spec(String iqn, ChapCredentials mutual) {
    return new TargetSpec(
        iqn,
        Path.of(blob()),
        DeviceType.DISK,
        INITIATOR,
        new ChapCredentials("discs-user1", "Secret0123456789"),
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
