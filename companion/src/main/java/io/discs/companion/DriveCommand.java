package io.discs.companion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A virtual drive of one's own: attached once, kept alive like a mount, its disc inserted and
 * ejected from any terminal while the device (/dev/srX) stays.
 */
@Command(
    name = "drive",
    mixinStandardHelpOptions = true,
    description = "Your virtual CD/DVD drive: attach it once, then insert and eject discs.",
    subcommands = {
      DriveCommand.Attach.class,
      DriveCommand.Insert.class,
      DriveCommand.Eject.class,
      DriveCommand.Status.class
    })
final class DriveCommand implements Runnable {
  @picocli.CommandLine.Spec private picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "say what to do: attach, insert, eject or status");
  }

  static String drivePath(String id) {
    return ApiPaths.DRIVES + "/" + id;
  }

  @Command(
      name = "attach",
      mixinStandardHelpOptions = true,
      description = "Make a drive (empty, or with IMAGE in), attach it, keep it until Ctrl-C.")
  static final class Attach extends AttachingCommand implements Callable<Integer> {
    @Parameters(
        paramLabel = "IMAGE",
        arity = "0..1",
        description = "The disc to start with (id or exact name); none: an empty drive.")
    private String image;

    @Override
    public Integer call() throws Exception {
      Iscsiadm iscsiadm = attacher();
      String initiator = initiator();
      ApiClient api = companion().client();
      ObjectNode request = JSON.createObjectNode().put("initiatorIqn", initiator);
      if (image != null) {
        request.put("imageId", resolveImage(api, image));
      }
      return keep(api, iscsiadm, ApiPaths.DRIVES, request);
    }

    @Override
    String commandName() {
      return "drive attach";
    }

    @Override
    void attached(AttachedDevice device) {
      if (!SysfsDevices.system().watchMedia(device.node())) {
        err()
            .println(
                "discs-companion: the kernel could not be asked to poll "
                    + device.node()
                    + " for disc changes; a new disc shows when the device is next opened");
      }
    }

    @Override
    String keepingLine(String id) {
      return "keeping the drive; 'discs-companion drive insert "
          + Printable.of(id)
          + " IMAGE' and 'drive eject "
          + Printable.of(id)
          + "' change its disc; Ctrl-C to detach";
    }
  }

  @Command(
      name = "insert",
      mixinStandardHelpOptions = true,
      description = "Put IMAGE into the drive, in place of its disc.")
  static final class Insert extends Subcommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DRIVE", description = "The drive's id.")
    private String drive;

    @Parameters(index = "1", paramLabel = "IMAGE", description = "The image's id or exact name.")
    private String image;

    @Override
    public Integer call() {
      ApiClient api = companion().client();
      String imageId = AttachingCommand.resolveImage(api, image);
      JsonNode after =
          api.post(
              drivePath(drive) + "/insert",
              AttachingCommand.JSON.createObjectNode().put("imageId", imageId));
      Status.print(out(), after, api);
      return 0;
    }
  }

  @Command(
      name = "eject",
      mixinStandardHelpOptions = true,
      description = "Take the disc out of the drive.")
  static final class Eject extends Subcommand implements Callable<Integer> {
    @Parameters(paramLabel = "DRIVE", description = "The drive's id.")
    private String drive;

    @Option(
        names = "--force",
        description = "Take it even while the machine using the drive has locked it in.")
    private boolean force;

    @Override
    public Integer call() {
      ApiClient api = companion().client();
      JsonNode after =
          api.post(
              drivePath(drive) + "/eject",
              AttachingCommand.JSON.createObjectNode().put("force", force));
      Status.print(out(), after, api);
      return 0;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Your drives and what is in them (or one drive's).")
  static final class Status extends Subcommand implements Callable<Integer> {
    @Parameters(paramLabel = "DRIVE", arity = "0..1", description = "One drive's id.")
    private String drive;

    @Override
    public Integer call() {
      ApiClient api = companion().client();
      if (drive != null) {
        print(out(), api.get(drivePath(drive)), api);
        return 0;
      }
      out().printf("%-36s  %-8s  %-8s  %s%n", "DRIVE", "STATE", "DISC", "TARGET");
      for (JsonNode each : api.get(ApiPaths.DRIVES).path("items")) {
        out()
            .printf(
                "%-36s  %-8s  %-8s  %s%n",
                Printable.of(each.path("id").asText()),
                Printable.of(each.path("state").asText()),
                each.path("inserted").asBoolean() ? "in" : "empty",
                Printable.of(each.path("target").path("iqn").asText("-")));
      }
      return 0;
    }

    /** One drive: its state, the name of the disc in it, and its connections. */
    static void print(java.io.PrintWriter out, JsonNode drive, ApiClient api) {
      String imageId = drive.path("imageId").asText(null);
      String disc = "none";
      if (imageId != null && !imageId.equals("null")) {
        disc = api.get(ApiPaths.image(imageId)).path("name").asText(imageId);
      }
      out.println("drive     " + Printable.of(drive.path("id").asText()));
      out.println("state     " + Printable.of(drive.path("state").asText()));
      out.println("disc      " + Printable.of(disc));
      out.println("target    " + Printable.of(drive.path("target").path("iqn").asText("-")));
      // The same connection before and after a change of disc: no new login was needed.
      for (JsonNode connection : drive.path("connections")) {
        out.println(
            "connected "
                + Printable.of(connection.path("address").asText())
                + " since "
                + Printable.of(connection.path("connectedSince").asText()));
      }
      out.flush();
    }
  }
}
