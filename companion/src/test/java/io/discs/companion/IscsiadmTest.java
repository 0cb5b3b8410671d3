package io.discs.companion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * iscsiadm's argument vectors, exit codes and messages against a recording stand-in, and the device
 * lookup against a sysfs tree shaped like the kernel's (this machine's kernel has no initiator; the
 * Debian guest test drives the real one).
 */
class IscsiadmTest {
  private static final String PORTAL = "192.0.2.10:3260";
  private static final String IQN = "iqn.2026-01.io.discs:0a1b2c3d.0011223344556677";
  private static final Iscsiadm.Credentials CHAP =
      new Iscsiadm.Credentials("discs-user", "Secret0123456789", null);
  private static final String NODE = "-m node -T " + IQN + " -p " + PORTAL;

  @TempDir Path dir;
  private Path sys;
  private Path dev;
  private Iscsiadm iscsiadm;

  @BeforeEach
  void standIn() throws Exception {
    Path script = dir.resolve("iscsiadm");
    try (InputStream in = getClass().getResourceAsStream("/iscsiadm-standin.sh")) {
      Files.copy(in, script);
    }
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    sys = Files.createDirectories(dir.resolve("sys"));
    dev = Files.createDirectories(dir.resolve("dev"));
    iscsiadm =
        new Iscsiadm(
            script, new SysfsDevices(sys, dev), new NodeRecords(List.of(dir.resolve("nodes"))));
  }

  @Test
  void makesTheNodeRecordWithoutDiscoverySetsChapAndManualStartupLogsInAndFindsTheDevice()
      throws Exception {
    kernelMakes(IQN, 0, "sdb");

    AttachedDevice device = iscsiadm.attach(PORTAL, IQN, 0, CHAP, Duration.ofSeconds(2));

    assertThat(device.node()).isEqualTo(dev.resolve("sdb"));
    assertThat(recorded())
        .containsExactly(
            "-m node -o new -T " + IQN + " -p " + PORTAL,
            NODE + " -o update -n node.startup -v manual",
            NODE + " -o update -n node.session.auth.authmethod -v CHAP",
            NODE + " -o update -n node.session.auth.username -v discs-user",
            NODE + " --login");
    assertThat(recorded()).noneMatch(line -> line.contains("discovery"));
    assertThat(recorded())
        .as("no secret on a command line (/proc shows it to every local user)")
        .noneMatch(line -> line.contains("Secret0123456789"));
    Path record = dir.resolve("nodes").resolve(IQN).resolve("192.0.2.10,3260");
    assertThat(Files.readAllLines(record))
        .contains("node.name = " + IQN, "node.session.auth.password = Secret0123456789")
        .doesNotContain("node.session.auth.password = ");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(record)))
        .isEqualTo("rw-------");
  }

  @Test
  void setsTheTargetsCredentialsForMutualChap() throws Exception {
    kernelMakes(IQN, 0, "sr0");
    Iscsiadm.Credentials mutual =
        new Iscsiadm.Credentials(
            "discs-user",
            "Secret0123456789",
            new Iscsiadm.Credentials("discs-target", "Other0123456789x", null));

    assertThat(iscsiadm.attach(PORTAL, IQN, 0, mutual, Duration.ofSeconds(2)).node())
        .isEqualTo(dev.resolve("sr0"));
    assertThat(recorded())
        .contains(NODE + " -o update -n node.session.auth.username_in -v discs-target")
        .noneMatch(line -> line.contains("Other0123456789x"));
    assertThat(Files.readAllLines(dir.resolve("nodes").resolve(IQN).resolve("192.0.2.10,3260")))
        .contains(
            "node.session.auth.password = Secret0123456789",
            "node.session.auth.password_in = Other0123456789x");
  }

  @Test
  void findsTheDeviceOfTheLunTheServerNamedAndItsByPathLink() throws Exception {
    kernelMakes(IQN, 0, "sdb");
    kernelMakes(IQN, 1, "sdc");
    Path link =
        Files.createDirectories(dev.resolve("disk/by-path"))
            .resolve("ip-" + PORTAL + "-iscsi-" + IQN + "-lun-1");
    Files.createSymbolicLink(link, Path.of("../../sdc"));

    AttachedDevice device =
        new SysfsDevices(sys, dev).await(PORTAL, IQN, 1, Duration.ofSeconds(2)).orElseThrow();

    assertThat(device.node()).isEqualTo(dev.resolve("sdc"));
    assertThat(device.byPath()).contains(link);
  }

  @Test
  void saysWhatItWaitedForWhenNoDeviceAppears() throws Exception {
    kernelMakes("iqn.2026-01.io.discs:other.1", 0, "sdb");

    assertThatThrownBy(() -> iscsiadm.attach(PORTAL, IQN, 0, CHAP, Duration.ofMillis(300)))
        .hasMessage(
            "logged in, but no device for LUN 0 of "
                + IQN
                + " appeared within 0 s (looked in "
                + "/sys/class/iscsi_session)");
  }

  @Test
  void takesAlreadyLoggedInAsSuccessAndPassesOnWhatIscsiadmSaidAboutAnAuthorizationFailure()
      throws Exception {
    kernelMakes(IQN, 0, "sdb");
    Files.writeString(dir.resolve("exit-login"), "15");
    assertThat(iscsiadm.attach(PORTAL, IQN, 0, CHAP, Duration.ofSeconds(2)).node())
        .isEqualTo(dev.resolve("sdb"));

    Files.writeString(dir.resolve("exit-login"), "24");
    Files.writeString(
        dir.resolve("said-login"),
        "initiator reported error (24 - iSCSI login failed due to authorization failure)");
    assertThatThrownBy(() -> iscsiadm.attach(PORTAL, IQN, 0, CHAP, Duration.ofSeconds(2)))
        .isInstanceOf(CompanionException.class)
        .hasMessage(
            "iscsiadm login failed (exit code 24: CHAP authorization failed (wrong initiator name or secret)): "
                + "iscsiadm said \"initiator reported error (24 - iSCSI login failed due to authorization failure)\"");
  }

  @Test
  void tellsHowToStartIscsidWhenItIsUnreachable() throws Exception {
    Files.writeString(dir.resolve("exit-new"), "20");
    Files.writeString(dir.resolve("said-new"), "can not connect to iSCSI daemon (111)!");

    assertThatThrownBy(() -> iscsiadm.attach(PORTAL, IQN, 0, CHAP, Duration.ofSeconds(2)))
        .hasMessageContaining("iscsid is not running; start it with 'sudo systemctl start iscsid'");
  }

  @Test
  void passesOnAnyOtherFailureWithItsCodeAndWords() throws Exception {
    Files.writeString(dir.resolve("exit-new"), "6");
    Files.writeString(dir.resolve("said-new"), "Could not open /run/lock/iscsi: Permission denied");

    assertThatThrownBy(() -> iscsiadm.attach(PORTAL, IQN, 0, CHAP, Duration.ofSeconds(2)))
        .hasMessage(
            "iscsiadm creating the node record failed (exit code 6: cannot read or write the node database "
                + "in /etc/iscsi (are you root?)): iscsiadm said \"Could not open /run/lock/iscsi: Permission denied\"");
  }

  @Test
  void retriesATransientLoginFailureABoundedNumberOfTimes() throws Exception {
    Files.writeString(dir.resolve("exit-login"), "8");

    assertThatThrownBy(() -> iscsiadm.attach(PORTAL, IQN, 0, CHAP, Duration.ofSeconds(2)))
        .hasMessageContaining("exit code 8: timed out");
    assertThat(recorded().stream().filter(l -> l.endsWith("--login"))).hasSize(3);
  }

  @Test
  void logsOutAndForgetsTheNodeAndToleratesAMissingSession() throws Exception {
    Files.writeString(dir.resolve("exit-logout"), "21");

    iscsiadm.detach(PORTAL, IQN);

    assertThat(recorded())
        .containsExactly(NODE + " --logout", "-m node -o delete -T " + IQN + " -p " + PORTAL);
  }

  @Test
  void refusesValuesThatAreNotWhatTheServerShouldSend() {
    assertThatThrownBy(
            () -> iscsiadm.attach(PORTAL, "iqn.x; reboot", 0, CHAP, Duration.ofSeconds(1)))
        .hasMessage("the server sent an unusable target name");
    assertThatThrownBy(() -> iscsiadm.attach("$(id):3260", IQN, 0, CHAP, Duration.ofSeconds(1)))
        .hasMessage("the server sent an unusable portal");
    assertThatThrownBy(() -> iscsiadm.attach(PORTAL, IQN, -1, CHAP, Duration.ofSeconds(1)))
        .hasMessage("the server sent an unusable LUN");
  }

  @Test
  void saysWhatToInstallWhenIscsiadmIsMissing() {
    assertThatThrownBy(() -> Iscsiadm.find(dir.resolve("absent").toString(), SysfsDevices.system()))
        .hasMessage("iscsiadm is missing: install open-iscsi, or use --attach none");
  }

  @Test
  void tellsWhetherIscsidListensFromTheUnixSocketTable() throws Exception {
    Path table = dir.resolve("unix");
    Files.writeString(
        table,
        """
        Num       RefCount Protocol Flags    Type St Inode Path
        0000000000000000: 00000002 00000000 00010000 0001 01 20311 @ISCSIADM_ABSTRACT_NAMESPACE
        """);
    assertThat(Iscsiadm.iscsidReachable(table)).isTrue();

    Files.writeString(table, "Num       RefCount Protocol Flags    Type St Inode Path\n");
    assertThat(Iscsiadm.iscsidReachable(table)).isFalse();
    assertThat(Iscsiadm.iscsidReachable(dir.resolve("absent"))).isTrue();
  }

  @Test
  void readsTheEffectiveUidAndTheInitiatorName() throws Exception {
    Path status = dir.resolve("status");
    Files.writeString(status, "Name:\tjava\nUid:\t1000\t0\t0\t0\nGid:\t1000\t1000\t1000\t1000\n");
    assertThat(Privileges.effectiveUid(status)).isZero();

    Path name = dir.resolve("initiatorname.iscsi");
    Files.writeString(
        name, "## DO NOT EDIT OR REMOVE THIS FILE!\nInitiatorName=iqn.1993-08.org.debian:01:abc\n");
    assertThat(InitiatorName.read(name)).isEqualTo("iqn.1993-08.org.debian:01:abc");
    assertThatThrownBy(() -> InitiatorName.read(dir.resolve("absent")))
        .hasMessageContaining("install open-iscsi, or give --initiator-iqn");
  }

  /**
   * What the kernel publishes for a logged-in LUN: session → SCSI device H:C:T:L → block/NAME, and
   * /dev/NAME.
   */
  private void kernelMakes(String iqn, int lun, String name) throws Exception {
    Path hostSession = Files.createDirectories(sys.resolve("devices/platform/host0/session1"));
    Files.createDirectories(hostSession.resolve("target0:0:0/0:0:0:" + lun + "/block/" + name));
    Path session = sys.resolve("class/iscsi_session/session1");
    if (!Files.exists(session)) {
      Files.createDirectories(session);
      Files.createSymbolicLink(session.resolve("device"), hostSession);
    }
    Files.writeString(session.resolve("targetname"), iqn + "\n");
    Files.writeString(dev.resolve(name), "");
  }

  private List<String> recorded() throws Exception {
    return Files.readAllLines(dir.resolve("record.log")).stream()
        .map(line -> String.join(" ", Arrays.asList(line.split("\u001f"))).strip())
        .toList();
  }
}
