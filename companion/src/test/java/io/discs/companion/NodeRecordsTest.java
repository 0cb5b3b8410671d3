package io.discs.companion;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The CHAP secret written into a node record as this machine's own open-iscsi made it, and read
 * back by that iscsiadm: the layout and the last-line-wins rule are open-iscsi's, not a stand-in's.
 */
class NodeRecordsTest {
  private static final Path ISCSIADM = Path.of("/usr/sbin/iscsiadm");

  @Test
  void theRealIscsiadmReadsTheSecretWrittenIntoItsRecord() throws Exception {
    String missing =
        !Files.isExecutable(ISCSIADM)
            ? "iscsiadm not found: install the Debian package open-iscsi"
            : !"root".equals(System.getProperty("user.name"))
                ? "node records are root's: run as root"
                : null;
    if (missing != null) {
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(missing);
      }
      Assumptions.abort(missing);
    }
    String iqn =
        "iqn.2026-01.io.discs:records-test." + UUID.randomUUID().toString().substring(0, 8);
    String portal = "192.0.2.77:3260";
    try {
      assertThat(iscsiadm("-m", "node", "-o", "new", "-T", iqn, "-p", portal)).isZero();

      new NodeRecords(NodeRecords.SYSTEM_ROOTS)
          .set(
              iqn,
              portal,
              Map.of(
                  "node.session.auth.password", "Secret0123456789",
                  "node.session.auth.password_in", "Other0123456789x"));

      List<String> shown = new ArrayList<>();
      assertThat(iscsiadm(shown, "-m", "node", "-T", iqn, "-p", portal, "-S")).isZero();
      assertThat(shown)
          .contains(
              "node.session.auth.password = Secret0123456789",
              "node.session.auth.password_in = Other0123456789x");
    } finally {
      iscsiadm("-m", "node", "-o", "delete", "-T", iqn, "-p", portal);
    }
  }

  private static int iscsiadm(String... args) throws Exception {
    return iscsiadm(new ArrayList<>(), args);
  }

  private static int iscsiadm(List<String> output, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ISCSIADM.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("iscsiadm", ".out");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("iscsiadm did not finish: " + command);
      }
      output.addAll(Files.readAllLines(out).stream().map(String::strip).toList());
      return process.exitValue();
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
