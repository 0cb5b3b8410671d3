package io.discs.companion;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "images",
    mixinStandardHelpOptions = true,
    description = "List the discs you may mount.")
final class ImagesCommand extends Subcommand implements Callable<Integer> {

  @Override
  public Integer call() {
    JsonNode discovery = companion().client().get(ApiPaths.DISCOVERY);
    out().printf("%-36s  %-30s  %8s  %-7s  %s%n", "ID", "NAME", "MiB", "FORMAT", "BOOTABLE");
    for (JsonNode image : discovery.path("images")) {
      out()
          .printf(
              "%-36s  %-30s  %8d  %-7s  %s%n",
              Printable.of(image.path("id").asText()),
              Printable.of(image.path("name").asText()),
              image.path("sizeBytes").asLong() >> 20,
              Printable.of(image.path("format").asText()),
              image.path("bootable").asBoolean() ? "yes" : "no");
    }
    return 0;
  }
}
