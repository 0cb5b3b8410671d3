package io.discs.companion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/**
 * What attaching commands share: start something with a target of its own (a mount session, a
 * drive), attach it (or print how to), keep it alive until Ctrl-C, an end from elsewhere or the
 * server letting it go; then detach and end it. Whatever fails after it started, the node record
 * and the session are cleaned up.
 */
abstract class AttachingCommand extends Subcommand {
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Exit code when the server ended the session underneath a running mount (lease lost, target
   * removed).
   */
  static final int SESSION_LOST = 7;

  @Option(
      names = "--initiator-iqn",
      description = "Default: InitiatorName in /etc/iscsi/initiatorname.iscsi.")
  private String initiatorIqn;

  @Option(
      names = "--attach",
      defaultValue = "iscsiadm",
      description =
          "iscsiadm (log in here) or none (print "
              + "the connection details). Default: ${DEFAULT-VALUE}.")
  private String attach;

  @Option(names = "--json", description = "Print the connection details as JSON.")
  private boolean json;

  @Option(
      names = "--device-wait",
      defaultValue = "30",
      description = "Seconds to wait for the device after login. " + "Default: ${DEFAULT-VALUE}.")
  private int deviceWaitSeconds;

  @Option(names = "--iscsiadm", hidden = true, defaultValue = "iscsiadm")
  private String iscsiadmLocation;

  @Option(names = "--sysfs", hidden = true, defaultValue = "/sys")
  private Path sysfs;

  @Option(
      names = "--heartbeats",
      hidden = true,
      description = "Stop after this many heartbeats (tests).")
  private Integer maxHeartbeats;

  /** The command as people type it, for messages ("mount", "drive attach"). */
  abstract String commandName();

  /** The last line printed once attached: what keeps it, and how it ends. */
  abstract String keepingLine(String id);

  /** {@code --attach}'s iscsiadm, checked before anything is started; null with none. */
  Iscsiadm attacher() {
    if (!attach.equals("iscsiadm") && !attach.equals("none")) {
      throw new CompanionException("--attach must be iscsiadm or none", 2);
    }
    return attach.equals("iscsiadm") ? preparedIscsiadm() : null;
  }

  String initiator() {
    return initiatorIqn != null ? initiatorIqn : InitiatorName.read(InitiatorName.FILE);
  }

  /**
   * Starts what {@code request} asks at {@code startPath}, attaches it and keeps it until told to
   * stop; answers the exit code.
   */
  int keep(ApiClient api, Iscsiadm iscsiadm, String startPath, ObjectNode request)
      throws Exception {
    // Answered at once: a target node that must fetch the image first says PREPARING, and the
    // session is followed (with the fetch's progress) until it is active.
    JsonNode started = api.postRespondingAsync(startPath, request);
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch cleaned = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              awaitQuietly(cleaned);
            },
            "discs-companion-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean attached = false;
    MountedSession session = null;
    try {
      session = MountedSession.from(new SessionPreparation(api, err(), stop).awaitActive(started));
      AttachedDevice device = null;
      if (iscsiadm != null) {
        attached = true; // from here on the node record may exist: detach cleans it either way
        device =
            iscsiadm.attach(
                session.portal(),
                session.iqn(),
                session.lun(),
                session.credentials(),
                Duration.ofSeconds(deviceWaitSeconds));
      }
      if (device != null) {
        attached(device);
      }
      print(session, device);
      return new Heartbeats(api, session, maxHeartbeats, out(), err()).run(stop);
    } catch (CompanionException e) {
      if (session == null) {
        throw e;
      }
      throw new CompanionException(
          e.getMessage()
              + "; session "
              + session.id()
              + " was ended and nothing is left "
              + "attached",
          e.exitCode(),
          e.httpStatus());
    } finally {
      try {
        if (session != null) {
          cleanUp(api, session, attached ? iscsiadm : null);
        }
      } finally {
        cleaned.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // The hook is running: it waits for this cleanup, which is now done.
        }
      }
    }
  }

  /** Everything that can be known to fail before a session is started, checked before it is. */
  private Iscsiadm preparedIscsiadm() {
    if (!Privileges.isRoot()) {
      throw new CompanionException(
          commandName()
              + " needs root (iscsiadm changes system state): run with sudo, or use "
              + "--attach none to print the connection details",
          2);
    }
    Iscsiadm iscsiadm = Iscsiadm.find(iscsiadmLocation, new SysfsDevices(sysfs, Path.of("/dev")));
    if (!Iscsiadm.iscsidReachable(Path.of("/proc/net/unix"))) {
      throw new CompanionException(
          "iscsid is not running: start it with 'sudo systemctl start iscsid' (or run "
              + "'sudo iscsid') and try again",
          6);
    }
    return iscsiadm;
  }

  private void cleanUp(ApiClient api, MountedSession session, Iscsiadm attachedWith) {
    try {
      if (attachedWith != null) {
        attachedWith.detach(session.portal(), session.iqn());
      }
    } catch (CompanionException e) {
      err().println("discs-companion: " + Printable.of(e.getMessage()));
    } finally {
      try {
        api.delete(ApiPaths.session(session.id()));
      } catch (CompanionException e) {
        // Ended or expired already: nothing left to end. Unreachable: its lease will lapse.
      }
    }
  }

  /** The id of the image named {@code image} (its id or its exact name) among the mountable. */
  static String resolveImage(ApiClient api, String image) {
    JsonNode images = api.get(ApiPaths.DISCOVERY).path("images");
    for (JsonNode candidate : images) {
      if (candidate.path("id").asText().equals(image)) {
        return image;
      }
    }
    String found = null;
    for (JsonNode candidate : images) {
      if (candidate.path("name").asText().equals(image)) {
        if (found != null) {
          throw new CompanionException(
              "more than one image is named '" + image + "': use its id", 2);
        }
        found = candidate.path("id").asText();
      }
    }
    if (found == null) {
      throw new CompanionException("no image '" + image + "': see 'discs-companion images'", 2);
    }
    return found;
  }

  /** Once the device is there, before it is printed: what the command does with it. */
  void attached(AttachedDevice device) {}

  private void print(MountedSession session, AttachedDevice device) throws Exception {
    if (json) {
      ObjectNode details =
          JSON.createObjectNode()
              .put("sessionId", session.id())
              .put("portal", session.portal())
              .put("iqn", session.iqn())
              .put("lun", session.lun())
              .put("leaseExpiresAt", session.leaseExpiresAt());
      if (device == null) {
        // Only for an initiator of the person's own: once attached, the secret stays unsaid.
        details
            .putObject("chap")
            .put("username", session.credentials().user())
            .put("secret", session.credentials().secret());
      }
      if (device != null) {
        details.put("device", device.node().toString());
        device.byPath().ifPresent(link -> details.put("byPath", link.toString()));
      }
      out().println(JSON.writeValueAsString(details));
    } else {
      out().println("session   " + Printable.of(session.id()));
      out().println("portal    " + Printable.of(session.portal()));
      out().println("target    " + Printable.of(session.iqn()) + " (LUN " + session.lun() + ")");
      if (device == null) {
        out()
            .println(
                "chap      "
                    + Printable.of(session.credentials().user())
                    + " / "
                    + Printable.of(session.credentials().secret()));
      }
      if (device != null) {
        out().println("device    " + device.node());
        device.byPath().ifPresent(link -> out().println("by-path   " + link));
      }
      out().println(keepingLine(session.id()));
    }
    out().flush();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
