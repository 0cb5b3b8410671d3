package io.discs.companion;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "images", description = "List the discs you may mount.")
final class ImagesCommand implements Callable<Integer> {
  @ParentCommand
  private Companion companion;

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    JsonNode discovery = companion.client().get("/api/v1/discovery");
    spec.commandLine().getOut().printf("%-36s  %-30s  %8s  %-7s  %s%n", "ID", "NAME", "MiB", "FORMAT", "BOOTABLE");
    for (JsonNode image : discovery.path("images")) {
      spec.commandLine().getOut().printf("%-36s  %-30s  %8d  %-7s  %s%n", image.path("id").asText(), image.path("name").asText(),
          image.path("sizeBytes").asLong() >> 20, image.path("format").asText(),
          image.path("bootable").asBoolean() ? "yes" : "no");
    }
    return 0;
  }
}
