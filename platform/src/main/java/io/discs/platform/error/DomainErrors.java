package io.discs.platform.error;

import io.vertx.serviceproxy.ServiceException;
import java.time.Duration;
import java.util.Optional;

/**
 * The failures a service may answer with. Codes are HTTP status codes, so the gateway maps a
 * failure to a response without a translation table that could drift.
 */
public final class DomainErrors {
  public static final int BAD_REQUEST = HttpStatus.BAD_REQUEST;
  public static final int NOT_FOUND = HttpStatus.NOT_FOUND;
  public static final int CONFLICT = HttpStatus.CONFLICT;
  public static final int GONE = HttpStatus.GONE;
  public static final int TOO_LARGE = HttpStatus.CONTENT_TOO_LARGE;
  public static final int UNSUPPORTED_MEDIA = HttpStatus.UNSUPPORTED_MEDIA_TYPE;
  public static final int UNPROCESSABLE = HttpStatus.UNPROCESSABLE;
  public static final int INSUFFICIENT_STORAGE = HttpStatus.INSUFFICIENT_STORAGE;
  public static final int TOO_MANY = HttpStatus.TOO_MANY_REQUESTS;
  public static final int NOT_IMPLEMENTED = HttpStatus.NOT_IMPLEMENTED;
  public static final int UNAVAILABLE = HttpStatus.SERVICE_UNAVAILABLE;

  private static final String RETRY_AFTER = "retryAfterSeconds";

  /** What a request without a usable token is told, wherever it is refused. */
  public static final String TOKEN_REQUIRED = "a valid bearer token is required";

  /** What a caller whose roles do not grant the route's permission is told. */
  public static final String ROLE_FORBIDS = "your role does not allow this";

  private DomainErrors() {}

  public static ServiceException badRequest(String detail) {
    return new ServiceException(BAD_REQUEST, detail);
  }

  public static ServiceException notFound(String detail) {
    return new ServiceException(NOT_FOUND, detail);
  }

  public static ServiceException conflict(String detail) {
    return new ServiceException(CONFLICT, detail);
  }

  public static ServiceException gone(String detail) {
    return new ServiceException(GONE, detail);
  }

  public static ServiceException tooLarge(String detail) {
    return new ServiceException(TOO_LARGE, detail);
  }

  public static ServiceException unsupportedMedia(String detail) {
    return new ServiceException(UNSUPPORTED_MEDIA, detail);
  }

  public static ServiceException unprocessable(String detail) {
    return new ServiceException(UNPROCESSABLE, detail);
  }

  public static ServiceException insufficientStorage(String detail) {
    return new ServiceException(INSUFFICIENT_STORAGE, detail);
  }

  public static ServiceException notImplemented(String what) {
    return new ServiceException(
        NOT_IMPLEMENTED, what + " is not available in this version of discs");
  }

  public static ServiceException unavailable(String detail) {
    return new ServiceException(UNAVAILABLE, detail);
  }

  public static ServiceException unauthorized(String detail) {
    return new ServiceException(HttpStatus.UNAUTHORIZED, detail);
  }

  public static ServiceException forbidden(String detail) {
    return new ServiceException(HttpStatus.FORBIDDEN, detail);
  }

  public static ServiceException preconditionFailed(String detail) {
    return new ServiceException(HttpStatus.PRECONDITION_FAILED, detail);
  }

  public static ServiceException tooManyRequests(String detail) {
    return new ServiceException(TOO_MANY, detail);
  }

  /** A refusal the client may try again after {@code retryAfter} (sent as {@code Retry-After}). */
  public static ServiceException tooManyRequests(String detail, Duration retryAfter) {
    return withRetryAfter(new ServiceException(TOO_MANY, detail), retryAfter);
  }

  public static ServiceException unavailable(String detail, Duration retryAfter) {
    return withRetryAfter(new ServiceException(UNAVAILABLE, detail), retryAfter);
  }

  /** The whole seconds a failure says to wait before trying again, if it says. */
  public static Optional<Long> retryAfterSeconds(Throwable failure) {
    if (failure instanceof ServiceException known && known.getDebugInfo() != null) {
      return Optional.ofNullable(known.getDebugInfo().getLong(RETRY_AFTER));
    }
    return Optional.empty();
  }

  private static ServiceException withRetryAfter(ServiceException failure, Duration retryAfter) {
    long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    failure.getDebugInfo().put(RETRY_AFTER, seconds);
    return failure;
  }

  /** tus: another request is appending to this upload. */
  public static ServiceException locked(String detail) {
    return new ServiceException(HttpStatus.LOCKED, detail);
  }

  /** tus: a chunk that does not match its checksum; none of it was kept. */
  public static ServiceException checksumMismatch(String detail) {
    return new ServiceException(HttpStatus.CHECKSUM_MISMATCH, detail);
  }

  /** What a client sees of a failure the server did not expect: no details of it. */
  public static ServiceException internal(String detail) {
    return new ServiceException(HttpStatus.INTERNAL_ERROR, detail);
  }

  /** The status a failure stands for: its own where it is a service's, else 500. */
  public static int statusOf(Throwable failure) {
    return failure instanceof ServiceException known
        ? known.failureCode()
        : HttpStatus.INTERNAL_ERROR;
  }

  /** An image over the configured limit: the same words wherever an upload is refused for it. */
  public static ServiceException imageTooLarge(long maxBytes) {
    return tooLarge("the image is larger than the limit of " + maxBytes + " bytes");
  }

  /** An upload whose client stopped sending before the body's end: the same words wherever seen. */
  public static ServiceException uploadCutShort() {
    return badRequest("the upload did not complete: the client stopped sending");
  }
}
