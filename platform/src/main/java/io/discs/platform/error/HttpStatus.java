package io.discs.platform.error;

/**
 * Every HTTP status discs answers with, by name: the one place the numbers are written. Failures
 * are made through {@link DomainErrors}, which says in words what each means to a client.
 */
public final class HttpStatus {
  public static final int OK = 200;
  public static final int CREATED = 201;
  public static final int ACCEPTED = 202;
  public static final int NO_CONTENT = 204;
  public static final int PARTIAL_CONTENT = 206;
  public static final int NOT_MODIFIED = 304;

  public static final int BAD_REQUEST = 400;
  public static final int UNAUTHORIZED = 401;
  public static final int FORBIDDEN = 403;
  public static final int NOT_FOUND = 404;
  public static final int METHOD_NOT_ALLOWED = 405;
  public static final int NOT_ACCEPTABLE = 406;
  public static final int REQUEST_TIMEOUT = 408;
  public static final int CONFLICT = 409;
  public static final int GONE = 410;
  public static final int LENGTH_REQUIRED = 411;
  public static final int PRECONDITION_FAILED = 412;
  public static final int CONTENT_TOO_LARGE = 413;
  public static final int UNSUPPORTED_MEDIA_TYPE = 415;
  public static final int RANGE_NOT_SATISFIABLE = 416;
  public static final int UNPROCESSABLE = 422;

  /** tus: another request is appending to the same upload right now. */
  public static final int LOCKED = 423;

  public static final int TOO_MANY_REQUESTS = 429;
  public static final int HEADER_FIELDS_TOO_LARGE = 431;

  /** tus's checksum extension: the chunk does not match its {@code Upload-Checksum}. */
  public static final int CHECKSUM_MISMATCH = 460;

  public static final int INTERNAL_ERROR = 500;
  public static final int NOT_IMPLEMENTED = 501;
  public static final int SERVICE_UNAVAILABLE = 503;
  public static final int INSUFFICIENT_STORAGE = 507;

  private HttpStatus() {}

  /** The status's name (RFC 9110), a problem's title. */
  public static String reasonPhrase(int status) {
    return switch (status) {
      case BAD_REQUEST -> "Bad Request";
      case UNAUTHORIZED -> "Unauthorized";
      case FORBIDDEN -> "Forbidden";
      case NOT_FOUND -> "Not Found";
      case METHOD_NOT_ALLOWED -> "Method Not Allowed";
      case NOT_ACCEPTABLE -> "Not Acceptable";
      case REQUEST_TIMEOUT -> "Request Timeout";
      case CONFLICT -> "Conflict";
      case GONE -> "Gone";
      case LENGTH_REQUIRED -> "Length Required";
      case PRECONDITION_FAILED -> "Precondition Failed";
      case CONTENT_TOO_LARGE -> "Content Too Large";
      case UNSUPPORTED_MEDIA_TYPE -> "Unsupported Media Type";
      case RANGE_NOT_SATISFIABLE -> "Range Not Satisfiable";
      case UNPROCESSABLE -> "Unprocessable Content";
      case LOCKED -> "Locked";
      case TOO_MANY_REQUESTS -> "Too Many Requests";
      case HEADER_FIELDS_TOO_LARGE -> "Request Header Fields Too Large";
      case CHECKSUM_MISMATCH -> "Checksum Mismatch";
      case NOT_IMPLEMENTED -> "Not Implemented";
      case SERVICE_UNAVAILABLE -> "Service Unavailable";
      case INSUFFICIENT_STORAGE -> "Insufficient Storage";
      default -> serverError(status) ? "Internal Server Error" : "Error";
    };
  }

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
