package io.discs.companion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Starts a session, attaches it (or prints how to), then keeps it alive until Ctrl-C, an
 * {@code unmount} from elsewhere, or the server ending it; then detaches and ends the session.
 */
@Command(name = "mount", mixinStandardHelpOptions = true, description = "Mount a disc: start a session, attach it, keep it alive until Ctrl-C.")
final class MountCommand extends Subcommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();


  @Parameters(paramLabel = "IMAGE", description = "The image's id or its exact name.")
  private String image;

  @Option(names = "--initiator-iqn", description = "Default: InitiatorName in /etc/iscsi/initiatorname.iscsi.")
  private String initiatorIqn;

  @Option(names = "--attach", defaultValue = "iscsiadm", description = "iscsiadm (log in here) or none (print "
      + "the connection details). Default: ${DEFAULT-VALUE}.")
  private String attach;

  @Option(names = "--device-type", description = "disk or cdrom")
  private String deviceType;

  @Option(names = "--json", description = "Print the connection details as JSON.")
  private boolean json;

  @Option(names = "--iscsiadm", hidden = true, defaultValue = "iscsiadm")
  private String iscsiadmLocation;

  @Option(names = "--heartbeats", hidden = true, description = "Stop after this many heartbeats (tests).")
  private Integer maxHeartbeats;

  @Override
  public Integer call() throws Exception {
    if (!attach.equals("iscsiadm") && !attach.equals("none")) {
      throw new CompanionException("--attach must be iscsiadm or none", 2);
    }
    String initiator = initiatorIqn != null ? initiatorIqn : Iscsiadm.machineInitiatorName();
    if (initiator == null) {
      throw new CompanionException("no initiator name: give --initiator-iqn (this machine has no "
          + "/etc/iscsi/initiatorname.iscsi)", 2);
    }
    Iscsiadm iscsiadm = attach.equals("iscsiadm") ? Iscsiadm.find(iscsiadmLocation) : null;
    ApiClient api = companion.client();
    String imageId = resolveImage(api);
    ObjectNode request = JSON.createObjectNode().put("imageId", imageId).put("initiatorIqn", initiator);
    if (deviceType != null) {
      request.put("deviceType", deviceType);
    }
    JsonNode session = api.post("/api/v1/sessions", request);
    String id = session.path("id").asText();
    String portal = session.path("target").path("portal").asText();
    String iqn = session.path("target").path("iqn").asText();
    AtomicBoolean attached = new AtomicBoolean();
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch cleaned = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.countDown();
      awaitQuietly(cleaned);
    }, "discs-companion-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      String device = null;
      if (iscsiadm != null) {
        device = iscsiadm.attach(portal, iqn, session.path("chap").path("username").asText(),
            session.path("chap").path("secret").asText());
        attached.set(true);
      }
      print(session, device);
      return heartbeat(api, id, session.path("heartbeatIntervalSeconds").asInt(30), stop);
    } finally {
      try {
        if (attached.get()) {
          iscsiadm.detach(portal, iqn);
        }
        endQuietly(api, id);
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

  private int heartbeat(ApiClient api, String id, int intervalSeconds, CountDownLatch stop) throws InterruptedException {
    int beats = 0;
    while (!stop.await(intervalSeconds, TimeUnit.SECONDS)) {
      try {
        api.post("/api/v1/sessions/" + id + "/heartbeat", null);
      } catch (CompanionException e) {
        if (e.getMessage().startsWith("the session is over")) {
          out().println("session " + id + " was ended; detaching");
          return 0;
        }
        err().println("discs-companion: heartbeat failed (" + e.getMessage() + "); retrying");
      }
      beats++;
      if (maxHeartbeats != null && beats >= maxHeartbeats) {
        return 0;
      }
    }
    return 0;
  }

  private String resolveImage(ApiClient api) {
    JsonNode images = api.get("/api/v1/discovery").path("images");
    for (JsonNode candidate : images) {
      if (candidate.path("id").asText().equals(image)) {
        return image;
      }
    }
    String found = null;
    for (JsonNode candidate : images) {
      if (candidate.path("name").asText().equals(image)) {
        if (found != null) {
          throw new CompanionException("more than one image is named '" + image + "': use its id", 2);
        }
        found = candidate.path("id").asText();
      }
    }
    if (found == null) {
      throw new CompanionException("no image '" + image + "': see 'discs-companion images'", 2);
    }
    return found;
  }

  private void print(JsonNode session, String device) throws Exception {
    JsonNode target = session.path("target");
    JsonNode chap = session.path("chap");
    if (json) {
      ObjectNode details = JSON.createObjectNode()
          .put("sessionId", session.path("id").asText())
          .put("portal", target.path("portal").asText())
          .put("iqn", target.path("iqn").asText())
          .put("lun", target.path("lun").asInt())
          .put("leaseExpiresAt", session.path("leaseExpiresAt").asText());
      details.putObject("chap").put("username", chap.path("username").asText())
          .put("secret", chap.path("secret").asText());
      if (device != null) {
        details.put("device", device);
      }
      out().println(JSON.writeValueAsString(details));
    } else {
      out().println("session   " + session.path("id").asText());
      out().println("portal    " + target.path("portal").asText());
      out().println("target    " + target.path("iqn").asText() + " (LUN " + target.path("lun").asInt() + ")");
      out().println("chap      " + chap.path("username").asText() + " / " + chap.path("secret").asText());
      if (device != null) {
        out().println("device    " + device);
      }
      out().println("keeping the session alive; Ctrl-C to unmount");
    }
    out().flush();
  }

  private void endQuietly(ApiClient api, String id) {
    try {
      api.delete("/api/v1/sessions/" + id);
    } catch (CompanionException e) {
      // Already ended or expired: nothing left to end.
    }
  }


  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
