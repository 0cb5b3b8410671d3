package io.discs.companion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Starts a session, attaches it (or prints how to), then keeps it alive until Ctrl-C, an {@code
 * unmount} from elsewhere, or the server ending it; then detaches and ends the session.
 */
@Command(
    name = "mount",
    mixinStandardHelpOptions = true,
    description = "Mount a disc: start a session, attach it, keep it alive until Ctrl-C.")
final class MountCommand extends AttachingCommand implements Callable<Integer> {
  @Parameters(paramLabel = "IMAGE", description = "The image's id or its exact name.")
  private String image;

  @Option(names = "--device-type", description = "disk or cdrom")
  private String deviceType;

  @Override
  public Integer call() throws Exception {
    Iscsiadm iscsiadm = attacher();
    String initiator = initiator();
    ApiClient api = companion().client();
    String imageId = resolveImage(api, image);
    refuseSecondMount(api, imageId, initiator);
    ObjectNode request =
        JSON.createObjectNode().put("imageId", imageId).put("initiatorIqn", initiator);
    if (deviceType != null) {
      request.put("deviceType", deviceType);
    }
    return keep(api, iscsiadm, ApiPaths.SESSIONS, request);
  }

  @Override
  String commandName() {
    return "mount";
  }

  @Override
  String keepingLine(String id) {
    return "keeping the session alive; Ctrl-C to unmount";
  }

  private void refuseSecondMount(ApiClient api, String imageId, String initiator) {
    for (JsonNode running : api.get(ApiPaths.SESSIONS).path("items")) {
      if (running.path("state").asText().equals("ACTIVE")
          && running.path("imageId").asText().equals(imageId)
          && running.path("initiatorIqn").asText().equals(initiator)) {
        String id = running.path("id").asText();
        throw new CompanionException(
            "'"
                + image
                + "' is already mounted on this machine in session "
                + id
                + " (end it with 'discs-companion unmount "
                + id
                + "')",
            2);
      }
    }
  }
}
