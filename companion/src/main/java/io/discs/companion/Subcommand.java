package io.discs.companion;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParentCommand;

/** What every subcommand reaches for: the root command's settings and its output streams. */
abstract class Subcommand {
  @ParentCommand protected Companion companion;

  @CommandLine.Spec protected CommandLine.Model.CommandSpec spec;

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
