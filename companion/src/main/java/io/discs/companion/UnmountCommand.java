package io.discs.companion;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "unmount", description = "End a session; its target is removed (a running mount then detaches).")
final class UnmountCommand implements Callable<Integer> {
  @ParentCommand
  private Companion companion;

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "SESSION")
  private String session;

  @Override
  public Integer call() {
    companion.client().delete("/api/v1/sessions/" + session);
    spec.commandLine().getOut().println("session " + session + " ended");
    return 0;
  }
}
