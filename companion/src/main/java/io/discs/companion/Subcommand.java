package io.discs.companion;

import java.io.PrintWriter;
import picocli.CommandLine;

/** What every subcommand reaches for: the root command's settings and its output streams. */
abstract class Subcommand {
  @CommandLine.Spec protected CommandLine.Model.CommandSpec spec;

  /** The root command, whose options (the configuration folder, the server) every one shares. */
  protected Companion companion() {
    return (Companion) spec.root().userObject();
  }

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
