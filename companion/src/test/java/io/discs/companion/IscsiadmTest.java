package io.discs.companion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** iscsiadm's argument vectors and exit codes, against a recording stand-in (this kernel has no initiator). */
class IscsiadmTest {
  private static final String PORTAL = "192.0.2.10:3260";
  private static final String IQN = "iqn.2026-01.io.discs:0a1b2c3d.0011223344556677";

  @TempDir
  Path dir;
  private Iscsiadm iscsiadm;

  @BeforeEach
  void standIn() throws Exception {
    Path script = dir.resolve("iscsiadm");
    try (InputStream in = getClass().getResourceAsStream("/iscsiadm-standin.sh")) {
      Files.copy(in, script);
    }
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    iscsiadm = Iscsiadm.find(script.toString());
  }

  @Test
  void discoversSetsChapAndManualStartupThenLogsIn() throws Exception {
    String device = iscsiadm.attach(PORTAL, IQN, "discs-user", "Secret0123456789");

    assertThat(device).isEqualTo("/dev/disk/by-path/ip-" + PORTAL + "-iscsi-" + IQN + "-lun-1");
    String node = "-m node -T " + IQN + " -p " + PORTAL;
    assertThat(recorded()).containsExactly(
        "-m discovery -t sendtargets -p " + PORTAL,
        node + " -o update -n node.startup -v manual",
        node + " -o update -n node.session.auth.authmethod -v CHAP",
        node + " -o update -n node.session.auth.username -v discs-user",
        node + " -o update -n node.session.auth.password -v Secret0123456789",
        node + " --login");
  }

  @Test
  void takesAlreadyLoggedInAsSuccessAndExplainsAnAuthorizationFailure() throws Exception {
    Files.writeString(dir.resolve("exit-login"), "15");
    assertThat(iscsiadm.attach(PORTAL, IQN, "discs-user", "Secret0123456789")).startsWith("/dev/disk/by-path/");

    Files.writeString(dir.resolve("exit-login"), "24");
    assertThatThrownBy(() -> iscsiadm.attach(PORTAL, IQN, "discs-user", "Secret0123456789"))
        .isInstanceOf(CompanionException.class)
        .hasMessage("iscsiadm login failed: exit code 24: CHAP authorization failed (wrong initiator name or secret)");
  }

  @Test
  void retriesATransientLoginFailureABoundedNumberOfTimes() throws Exception {
    Files.writeString(dir.resolve("exit-login"), "8");

    assertThatThrownBy(() -> iscsiadm.attach(PORTAL, IQN, "discs-user", "Secret0123456789"))
        .hasMessageContaining("exit code 8: timed out");
    assertThat(recorded().stream().filter(l -> l.endsWith("--login"))).hasSize(3);
  }

  @Test
  void logsOutAndForgetsTheNodeAndToleratesAMissingSession() throws Exception {
    Files.writeString(dir.resolve("exit-logout"), "21");

    iscsiadm.detach(PORTAL, IQN);

    assertThat(recorded()).containsExactly("-m node -T " + IQN + " -p " + PORTAL + " --logout",
        "-m node -T " + IQN + " -p " + PORTAL + " -o delete");
  }

  @Test
  void refusesValuesThatAreNotWhatTheServerShouldSend() {
    assertThatThrownBy(() -> iscsiadm.attach(PORTAL, "iqn.x; reboot", "u", "s"))
        .hasMessage("the server sent an unusable target name");
    assertThatThrownBy(() -> iscsiadm.attach("$(id):3260", IQN, "u", "s")).hasMessage("the server sent an unusable portal");
  }

  @Test
  void saysWhatToInstallWhenIscsiadmIsMissing() {
    assertThatThrownBy(() -> Iscsiadm.find(dir.resolve("absent").toString()))
        .hasMessage("iscsiadm is missing: install open-iscsi, or use --attach none");
  }

  private List<String> recorded() throws Exception {
    return Files.readAllLines(dir.resolve("record.log")).stream()
        .map(line -> String.join(" ", Arrays.asList(line.split("\u001f"))).strip()).toList();
  }
}
