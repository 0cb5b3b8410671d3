package io.discs.targets.command;

/** How a command ended; output already bounded and redacted. */
public record CommandResult(String command, int exitCode, String stdout, String stderr) {
  public boolean succeeded() {
    return exitCode == 0;
  }
}
