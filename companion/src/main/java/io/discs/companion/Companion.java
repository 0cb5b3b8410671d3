package io.discs.companion;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar discs-companion.jar}: the root command. Its subcommands (login, images, mount,
 * unmount, sessions) arrive with the companion mount flow issue.
 */
@Command(name = "discs-companion", mixinStandardHelpOptions = true, version = "discs-companion 0.1.0",
    description = "Mount discs from a discs library on this machine.")
public final class Companion implements Runnable {

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return new CommandLine(new Companion()).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
