package io.discs.companion;

/** A failure the companion explains to its user in one line, with the exit code to leave with. */
final class CompanionException extends RuntimeException {
  private final int exitCode;
  private final int httpStatus;

  CompanionException(String message) {
    this(message, 1);
  }

  CompanionException(String message, int exitCode) {
    this(message, exitCode, 0);
  }

  /** A failure the server answered with {@code httpStatus}; 0 for one that never reached it. */
  CompanionException(String message, int exitCode, int httpStatus) {
    super(message, null, false, false);
    this.exitCode = exitCode;
    this.httpStatus = httpStatus;
  }

  int exitCode() {
    return exitCode;
  }

  int httpStatus() {
    return httpStatus;
  }

  /** Server unreachable or slow: worth another try, unlike an answer. */
  boolean isTransient() {
    return (httpStatus == 0 && exitCode == 3) || ApiStatus.serverError(httpStatus);
  }
}
