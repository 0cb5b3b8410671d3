package io.discs.companion;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "sessions", description = "List your sessions.")
final class SessionsCommand implements Callable<Integer> {
  @ParentCommand
  private Companion companion;

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    JsonNode sessions = companion.client().get("/api/v1/sessions");
    spec.commandLine().getOut().printf("%-36s  %-8s  %-24s  %s%n", "ID", "STATE", "LEASE UNTIL", "TARGET");
    for (JsonNode session : sessions.path("items")) {
      spec.commandLine().getOut().printf("%-36s  %-8s  %-24s  %s%n", session.path("id").asText(), session.path("state").asText(),
          session.path("leaseExpiresAt").asText(), session.path("target").path("iqn").asText("-"));
    }
    return 0;
  }
}
