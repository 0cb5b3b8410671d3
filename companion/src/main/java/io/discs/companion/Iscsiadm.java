package io.discs.companion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Attaches a session's target with open-iscsi's {@code iscsiadm}: argument vectors only, every
 * value checked first, {@code node.startup=manual} so a login can never hang a boot, bounded
 * retries.
 *
 * <p>No SendTargets discovery: the server already said which target, portal and LUN, and a stock
 * open-iscsi discovery logs in without CHAP and leaves a {@code send_targets} record behind. The
 * node record is made directly ({@code -m node -o new}) and removed on detach; the CHAP secrets are
 * written into it ({@link NodeRecords}), never passed on a command line.
 */
final class Iscsiadm {
  private static final Pattern IQN = Pattern.compile("(iqn|eui|naa)\\.[a-z0-9.:_-]{1,219}");
  private static final Pattern PORTAL = Pattern.compile("[0-9a-zA-Z.:\\[\\]-]{1,100}:\\d{1,5}");
  private static final Pattern CHAP = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final int LOGIN_ATTEMPTS = 3;
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

  /**
   * What the server said to log in with; {@code mutual} is null unless the target proves itself
   * too.
   */
  record Credentials(String user, String secret, Credentials mutual) {}

  private record Outcome(int code, String output) {
    /** iscsiadm's own words: its last "iscsiadm: …" line, without the prefix. */
    String said() {
      return output
          .lines()
          .map(String::strip)
          .filter(l -> l.startsWith("iscsiadm:"))
          .map(l -> l.substring("iscsiadm:".length()).strip())
          .reduce((first, second) -> second)
          .orElse("");
    }
  }

  private final Path executable;
  private final SysfsDevices devices;
  private final NodeRecords records;

  Iscsiadm(Path executable, SysfsDevices devices, NodeRecords records) {
    this.executable = executable;
    this.devices = devices;
    this.records = records;
  }

  static Iscsiadm find(String location, SysfsDevices devices) {
    Path given = Path.of(location);
    List<Path> candidates =
        given.isAbsolute()
            ? List.of(given)
            : List.of(
                Path.of("/usr/sbin", location),
                Path.of("/sbin", location),
                Path.of("/usr/bin", location));
    return candidates.stream()
        .filter(Files::isExecutable)
        .findFirst()
        .map(path -> new Iscsiadm(path, devices, new NodeRecords(NodeRecords.SYSTEM_ROOTS)))
        .orElseThrow(
            () ->
                new CompanionException(
                    "iscsiadm is missing: install open-iscsi, or use --attach none", 5));
  }

  /**
   * True unless this machine shows that nothing listens where iscsiadm reaches iscsid (an abstract
   * Unix socket; under systemd the socket unit holds it even before iscsid runs).
   */
  static boolean iscsidReachable(Path procNetUnix) {
    try {
      return Files.readString(procNetUnix, StandardCharsets.UTF_8)
          .contains("@ISCSIADM_ABSTRACT_NAMESPACE");
    } catch (IOException e) {
      return true; // Cannot tell: let iscsiadm say.
    }
  }

  /**
   * Makes the node record, logs in, and waits (at most {@code deviceWait}) for the LUN's device.
   */
  AttachedDevice attach(String portal, String iqn, int lun, Credentials chap, Duration deviceWait) {
    check(IQN, iqn, "target name");
    check(PORTAL, portal, "portal");
    check(CHAP, chap.user(), "CHAP user");
    check(CHAP, chap.secret(), "CHAP secret");
    if (chap.mutual() != null) {
      check(CHAP, chap.mutual().user(), "mutual CHAP user");
      check(CHAP, chap.mutual().secret(), "mutual CHAP secret");
    }
    if (lun < 0 || lun > 16383) {
      throw new CompanionException("the server sent an unusable LUN", 1);
    }
    run(List.of("-m", "node", "-o", "new", "-T", iqn, "-p", portal), "creating the node record");
    update(portal, iqn, "node.startup", "manual");
    update(portal, iqn, "node.session.auth.authmethod", "CHAP");
    update(portal, iqn, "node.session.auth.username", chap.user());
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("node.session.auth.password", chap.secret());
    if (chap.mutual() != null) {
      update(portal, iqn, "node.session.auth.username_in", chap.mutual().user());
      secrets.put("node.session.auth.password_in", chap.mutual().secret());
    }
    // Into the record itself: on iscsiadm's command line they would be in /proc for anyone.
    records.set(iqn, portal, secrets);
    login(portal, iqn);
    try {
      return devices
          .await(portal, iqn, lun, deviceWait)
          .orElseThrow(
              () ->
                  new CompanionException(
                      "logged in, but no device for LUN "
                          + lun
                          + " of "
                          + iqn
                          + " appeared within "
                          + deviceWait.toSeconds()
                          + " s (looked in /sys/class/iscsi_session)",
                      6));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompanionException("interrupted", 130);
    }
  }

  /** Logs out and forgets the node record; a session or record that is already gone is fine. */
  void detach(String portal, String iqn) {
    Outcome logout = exec(List.of("-m", "node", "-T", iqn, "-p", portal, "--logout"));
    Outcome delete = exec(List.of("-m", "node", "-o", "delete", "-T", iqn, "-p", portal));
    if (logout.code() != 0 && logout.code() != IscsiExitCode.NO_OBJECTS) {
      throw new CompanionException(
          IscsiExitCode.describe("logout", logout.code(), logout.said()), 6);
    }
    if (delete.code() != 0 && delete.code() != IscsiExitCode.NO_OBJECTS) {
      throw new CompanionException(
          IscsiExitCode.describe("deleting the node record", delete.code(), delete.said()), 6);
    }
  }

  private void login(String portal, String iqn) {
    for (int attempt = 1; ; attempt++) {
      Outcome login = exec(List.of("-m", "node", "-T", iqn, "-p", portal, "--login"));
      if (login.code() == 0 || login.code() == IscsiExitCode.SESSION_EXISTS) {
        return;
      }
      boolean hopeless =
          login.code() == IscsiExitCode.AUTH_FAILED
              || login.code() == IscsiExitCode.FATAL_LOGIN
              || login.code() == IscsiExitCode.ISCSID_NOT_CONNECTED
              || login.code() == 6
              || login.code() == 13;
      if (hopeless || attempt == LOGIN_ATTEMPTS) {
        throw new CompanionException(
            IscsiExitCode.describe("login", login.code(), login.said()), 6);
      }
      sleep(1_000L * attempt);
    }
  }

  private void update(String portal, String iqn, String name, String value) {
    run(
        List.of("-m", "node", "-T", iqn, "-p", portal, "-o", "update", "-n", name, "-v", value),
        "setting " + name);
  }

  private void run(List<String> args, String step) {
    Outcome outcome = exec(args);
    if (outcome.code() != 0) {
      throw new CompanionException(IscsiExitCode.describe(step, outcome.code(), outcome.said()), 6);
    }
  }

  private Outcome exec(List<String> args) {
    List<String> argv = new ArrayList<>();
    argv.add(executable.toString());
    argv.addAll(args);
    Path output = null;
    try {
      // Output through a file: a pipe read to its end would outwait the timeout of a hung iscsiadm.
      output = Files.createTempFile("discs-iscsiadm", ".out");
      ProcessBuilder builder =
          new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(output.toFile());
      builder.environment().clear();
      builder.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
      Process process = builder.start();
      if (!process.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new CompanionException(
            "iscsiadm did not finish within " + STEP_TIMEOUT.toSeconds() + " s", 6);
      }
      return new Outcome(
          process.exitValue(), new String(Files.readAllBytes(output), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CompanionException("cannot run iscsiadm: " + e.getMessage(), 5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompanionException("interrupted", 130);
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          // A temporary file of a few lines; the system cleans its temporary folder.
        }
      }
    }
  }

  private static void check(Pattern pattern, String value, String what) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new CompanionException("the server sent an unusable " + what, 1);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompanionException("interrupted", 130);
    }
  }
}
