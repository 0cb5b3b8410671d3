package io.discs.companion;

/**
 * The HTTP statuses the companion reads from the discs API, by name (the server's catalogue is
 * {@code io.discs.platform.error.HttpStatus}; the companion shares no code with the server).
 */
final class ApiStatus {
  static final int OK = 200;
  static final int CREATED = 201;
  static final int NO_CONTENT = 204;
  static final int UNAUTHORIZED = 401;
  static final int FORBIDDEN = 403;
  static final int NOT_FOUND = 404;
  static final int REQUEST_TIMEOUT = 408;
  static final int CONFLICT = 409;
  static final int GONE = 410;
  static final int LOCKED = 423;
  static final int TOO_MANY_REQUESTS = 429;
  static final int CHECKSUM_MISMATCH = 460;
  static final int INTERNAL_ERROR = 500;
  static final int BAD_GATEWAY = 502;
  static final int SERVICE_UNAVAILABLE = 503;
  static final int GATEWAY_TIMEOUT = 504;

  private ApiStatus() {}

  static boolean success(int status) {
    return status >= OK && status < 300;
  }

  static boolean serverError(int status) {
    return status >= INTERNAL_ERROR;
  }
}
