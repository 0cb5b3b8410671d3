package io.discs.platform.error;

import io.vertx.serviceproxy.ServiceException;

/**
 * The failures a service may answer with. Codes are HTTP status codes, so the gateway maps a
 * failure to a response without a translation table that could drift.
 */
public final class DomainErrors {
  public static final int BAD_REQUEST = 400;
  public static final int NOT_FOUND = 404;
  public static final int CONFLICT = 409;
  public static final int GONE = 410;
  public static final int TOO_LARGE = 413;
  public static final int UNSUPPORTED_MEDIA = 415;
  public static final int UNPROCESSABLE = 422;
  public static final int INSUFFICIENT_STORAGE = 507;
  public static final int TOO_MANY = 429;
  public static final int NOT_IMPLEMENTED = 501;
  public static final int UNAVAILABLE = 503;

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

  /** An upload whose client stopped sending before the body's end: the same words wherever seen. */
  public static ServiceException uploadCutShort() {
    return badRequest("the upload did not complete: the client stopped sending");
  }
}
