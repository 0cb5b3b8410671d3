package io.discs.companion;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar discs-companion.jar}: mount discs from a discs library on this machine. */
@Command(
    name = "discs-companion",
    mixinStandardHelpOptions = true,
    version = "discs-companion 0.1.0",
    description = "Mount discs from a discs library on this machine.",
    subcommands = {
      LoginCommand.class,
      ImagesCommand.class,
      UploadCommand.class,
      MountCommand.class,
      DriveCommand.class,
      UnmountCommand.class,
      SessionsCommand.class
    })
public final class Companion implements Runnable {

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--config-dir",
      description = "Where the login is kept (default: ~/.config/discs).")
  private Path configDir;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return commandLine(
            new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, UTF_8)), true),
            new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.err, UTF_8)), true))
        .execute(args);
  }

  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new Companion());
    commandLine.setOut(out);
    commandLine.setErr(err);
    // One plain line for every failure the companion understands; no stack traces.
    commandLine.setExecutionExceptionHandler(
        (e, cl, parsed) -> {
          if (e instanceof CompanionException known) {
            cl.getErr().println("discs-companion: " + Printable.of(known.getMessage()));
            return known.exitCode();
          }
          cl.getErr().println("discs-companion: unexpected failure: " + Printable.of(e.toString()));
          return 1;
        });
    return commandLine;
  }

  Path configDir() {
    return configDir != null ? configDir : Credentials.defaultDirectory();
  }

  ApiClient client() {
    return Credentials.load(configDir()).client();
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
