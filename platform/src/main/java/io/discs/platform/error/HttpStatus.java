package io.discs.platform.error;

/**
 * Every HTTP status discs answers with, by name: the one place the numbers are written. Failures
 * are made through {@link DomainErrors}, which says in words what each means to a client.
 */
public final class HttpStatus {
  public static final int OK = 200;
  public static final int CREATED = 201;
  public static final int NO_CONTENT = 204;
  public static final int PARTIAL_CONTENT = 206;
  public static final int NOT_MODIFIED = 304;

  public static final int BAD_REQUEST = 400;
  public static final int UNAUTHORIZED = 401;
  public static final int FORBIDDEN = 403;
  public static final int NOT_FOUND = 404;
  public static final int METHOD_NOT_ALLOWED = 405;
  public static final int REQUEST_TIMEOUT = 408;
  public static final int CONFLICT = 409;
  public static final int GONE = 410;
  public static final int PRECONDITION_FAILED = 412;
  public static final int CONTENT_TOO_LARGE = 413;
  public static final int UNSUPPORTED_MEDIA_TYPE = 415;
  public static final int RANGE_NOT_SATISFIABLE = 416;
  public static final int UNPROCESSABLE = 422;

  /** tus: another request is appending to the same upload right now. */
  public static final int LOCKED = 423;

  public static final int TOO_MANY_REQUESTS = 429;

  /** tus's checksum extension: the chunk does not match its {@code Upload-Checksum}. */
  public static final int CHECKSUM_MISMATCH = 460;

  public static final int INTERNAL_ERROR = 500;
  public static final int NOT_IMPLEMENTED = 501;
  public static final int SERVICE_UNAVAILABLE = 503;
  public static final int INSUFFICIENT_STORAGE = 507;

  private HttpStatus() {}

  /** 4xx: the client's request is at fault. */
  public static boolean clientError(int status) {
    return status >= BAD_REQUEST && status < INTERNAL_ERROR;
  }

  /** 5xx: the server could not do it. */
  public static boolean serverError(int status) {
    return status >= INTERNAL_ERROR;
  }

  /** 2xx. */
  public static boolean success(int status) {
    return status >= OK && status < 300;
  }
}
