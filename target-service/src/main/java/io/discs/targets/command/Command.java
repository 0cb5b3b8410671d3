package io.discs.targets.command;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An executable from the allow-list and its checked arguments. With {@code argsOnStdin}, the
 * arguments are written as one line to the program's standard input instead of its command line,
 * where every local user could read them in {@code /proc} (for programs that read commands so, like
 * targetcli).
 */
public record Command(String executable, List<Arg> args, Duration timeout, boolean argsOnStdin) {

  public Command {
    args = List.copyOf(args);
  }

  public static Builder of(String executable) {
    return new Builder(executable);
  }

  /** What a log line or an error may show: secrets replaced. */
  public String describe() {
    return executable
        + (argsOnStdin ? " <<< " : " ")
        + args.stream().map(Arg::shown).collect(Collectors.joining(" "));
  }

  List<String> secrets() {
    List<String> secrets = new ArrayList<>();
    args.forEach(arg -> collectSecrets(arg, secrets));
    return secrets;
  }

  private static void collectSecrets(Arg arg, List<String> secrets) {
    if (arg instanceof Arg.ChapSecret secret) {
      secrets.add(secret.value());
    } else if (arg instanceof Arg.Joined joined) {
      joined.parts().forEach(part -> collectSecrets(part, secrets));
    }
  }

  public static final class Builder {
    private final String executable;
    private final List<Arg> args = new ArrayList<>();
    private Duration timeout = Duration.ofSeconds(30);
    private boolean onStdin;

    private Builder(String executable) {
      this.executable = executable;
    }

    public Builder option(String flag) {
      args.add(Arg.option(flag));
      return this;
    }

    public Builder keyword(String word) {
      args.add(Arg.keyword(word));
      return this;
    }

    /** {@code --flag value} with a checked value. */
    public Builder option(String flag, Arg value) {
      args.add(Arg.option(flag));
      args.add(value);
      return this;
    }

    /** {@code --flag word} with a literal word. */
    public Builder option(String flag, String word) {
      return option(flag, Arg.keyword(word));
    }

    public Builder arg(Arg arg) {
      args.add(arg);
      return this;
    }

    public Builder timeout(Duration value) {
      this.timeout = value;
      return this;
    }

    /** The arguments go to standard input, not the command line (they hold a secret). */
    public Builder onStdin() {
      this.onStdin = true;
      return this;
    }

    public Command build() {
      return new Command(executable, args, timeout, onStdin);
    }
  }
}
