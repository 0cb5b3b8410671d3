package io.discs.companion;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "unmount",
    mixinStandardHelpOptions = true,
    description = "End a session; its target is removed (a running mount then detaches).")
final class UnmountCommand extends Subcommand implements Callable<Integer> {

  @Parameters(paramLabel = "SESSION")
  private String session;

  @Override
  public Integer call() {
    companion().client().delete(ApiPaths.session(session));
    out().println("session " + session + " ended");
    return 0;
  }
}
