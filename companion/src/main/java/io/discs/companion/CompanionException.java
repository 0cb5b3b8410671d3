package io.discs.companion;

/** A failure the companion explains to its user in one line, with the exit code to leave with. */
final class CompanionException extends RuntimeException {
  private final int exitCode;

  CompanionException(String message) {
    this(message, 1);
  }

  CompanionException(String message, int exitCode) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
