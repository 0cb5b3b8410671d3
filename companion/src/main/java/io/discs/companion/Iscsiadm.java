package io.discs.companion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Attaches a session's target with open-iscsi's {@code iscsiadm}: argument vectors only, every value
 * checked first, {@code node.startup=manual} so a login can never hang a boot, bounded retries.
 */
final class Iscsiadm {
  private static final Pattern IQN = Pattern.compile("(iqn|eui|naa)\\.[a-z0-9.:_-]{1,219}");
  private static final Pattern PORTAL = Pattern.compile("[0-9a-zA-Z.:\\[\\]-]{1,100}:\\d{1,5}");
  private static final Pattern CHAP = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final int LOGIN_ATTEMPTS = 3;
  static final int ALREADY_LOGGED_IN = 15;
  static final int NOT_RETRYABLE = 19;
  static final int NO_SESSION = 21;
  static final int AUTH_FAILED = 24;

  private final Path executable;

  private Iscsiadm(Path executable) {
    this.executable = executable;
  }

  static Iscsiadm find(String location) {
    Path given = Path.of(location);
    List<Path> candidates = given.isAbsolute() ? List.of(given)
        : List.of(Path.of("/usr/sbin", location), Path.of("/sbin", location), Path.of("/usr/bin", location));
    return candidates.stream().filter(Files::isExecutable).findFirst().map(Iscsiadm::new)
        .orElseThrow(() -> new CompanionException("iscsiadm is missing: install open-iscsi, or use --attach none", 5));
  }

  /** Logs in and answers the device node the kernel will make for LUN 1. */
  String attach(String portal, String iqn, String user, String secret) {
    check(IQN, iqn, "target name");
    check(PORTAL, portal, "portal");
    check(CHAP, user, "CHAP user");
    check(CHAP, secret, "CHAP secret");
    run(List.of("-m", "discovery", "-t", "sendtargets", "-p", portal), "discovery");
    update(portal, iqn, "node.startup", "manual");
    update(portal, iqn, "node.session.auth.authmethod", "CHAP");
    update(portal, iqn, "node.session.auth.username", user);
    update(portal, iqn, "node.session.auth.password", secret);
    for (int attempt = 1; ; attempt++) {
      int code = exec(List.of("-m", "node", "-T", iqn, "-p", portal, "--login"));
      if (code == 0 || code == ALREADY_LOGGED_IN) {
        break;
      }
      if (code == AUTH_FAILED || code == NOT_RETRYABLE || attempt == LOGIN_ATTEMPTS) {
        throw new CompanionException("iscsiadm login failed: " + explain(code), 6);
      }
      sleep(1_000L * attempt);
    }
    return "/dev/disk/by-path/ip-" + portal + "-iscsi-" + iqn + "-lun-1";
  }

  /** Logs out and forgets the node; a session that is already gone is fine. */
  void detach(String portal, String iqn) {
    int code = exec(List.of("-m", "node", "-T", iqn, "-p", portal, "--logout"));
    if (code != 0 && code != NO_SESSION) {
      throw new CompanionException("iscsiadm logout failed: " + explain(code), 6);
    }
    exec(List.of("-m", "node", "-T", iqn, "-p", portal, "-o", "delete"));
  }

  private void update(String portal, String iqn, String name, String value) {
    run(List.of("-m", "node", "-T", iqn, "-p", portal, "-o", "update", "-n", name, "-v", value), "setting " + name);
  }

  private void run(List<String> args, String what) {
    int code = exec(args);
    if (code != 0) {
      throw new CompanionException("iscsiadm " + what + " failed: " + explain(code), 6);
    }
  }

  private int exec(List<String> args) {
    List<String> argv = new ArrayList<>();
    argv.add(executable.toString());
    argv.addAll(args);
    try {
      ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
      builder.environment().clear();
      builder.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
      Process process = builder.start();
      process.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new CompanionException("iscsiadm did not finish within 60 s", 6);
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new CompanionException("cannot run iscsiadm: " + e.getMessage(), 5);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompanionException("interrupted", 130);
    }
  }

  /** The exit codes of iscsiadm(8) a person may meet here. */
  static String explain(int code) {
    return switch (code) {
      case 3 -> "exit code 3: the iSCSI daemon (iscsid) could not do it";
      case 4 -> "exit code 4: connection to the target lost or refused";
      case 8 -> "exit code 8: timed out";
      case 12 -> "exit code 12: iSCSI login failed";
      case 15 -> "exit code 15: already logged in";
      case 19 -> "exit code 19: the target refused and a retry will not help";
      case 21 -> "exit code 21: no session to log out of";
      case 24 -> "exit code 24: CHAP authorization failed (wrong initiator name or secret)";
      default -> "exit code " + code;
    };
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

  static String machineInitiatorName() {
    Path file = Path.of("/etc/iscsi/initiatorname.iscsi");
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.startsWith("InitiatorName=")) {
          return line.substring("InitiatorName=".length()).trim();
        }
      }
    } catch (IOException e) {
      // No open-iscsi configuration on this machine.
    }
    return null;
  }
}
