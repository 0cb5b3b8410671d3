package io.discs.companion;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "sessions", mixinStandardHelpOptions = true, description = "List your sessions.")
final class SessionsCommand extends Subcommand implements Callable<Integer> {

  @Override
  public Integer call() {
    JsonNode sessions = companion().client().get(ApiPaths.SESSIONS);
    out().printf("%-36s  %-8s  %-24s  %s%n", "ID", "STATE", "LEASE UNTIL", "TARGET");
    for (JsonNode session : sessions.path("items")) {
      out()
          .printf(
              "%-36s  %-8s  %-24s  %s%n",
              Printable.of(session.path("id").asText()),
              Printable.of(session.path("state").asText()),
              Printable.of(session.path("leaseExpiresAt").asText()),
              Printable.of(session.path("target").path("iqn").asText("-")));
    }
    return 0;
  }
}
