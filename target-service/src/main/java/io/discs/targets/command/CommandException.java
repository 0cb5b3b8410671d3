package io.discs.targets.command;

/**
 * A command that could not run, timed out, or was refused before it started. Messages are redacted.
 */
public final class CommandException extends RuntimeException {
  public CommandException(String message) {
    super(message);
  }
}
