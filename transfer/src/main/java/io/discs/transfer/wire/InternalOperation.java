package io.discs.transfer.wire;

import java.util.Optional;

/**
 * Every call an image node's internal listener answers, in one table: the listener's router picks
 * the handler from it, and the upload body tap asks it which requests' bodies to take off the
 * connection, so the two can never disagree about a path.
 */
public enum InternalOperation {
  /** A gateway's upload: the image's bytes as the body ({@link ImageBytesProtocol}). */
  INGEST("PUT", ImageBytesProtocol.PATH, Shape.EXACT, Body.IMAGE_BYTES),
  /** A range of a stored image's bytes, by digest. */
  READ_BLOB("GET", ImageBytesProtocol.BLOBS_PATH, Shape.WITH_ID, Body.NONE),
  /** A new resumable upload ({@link ResumableUploadsProtocol}). */
  CREATE_UPLOAD("POST", ResumableUploadsProtocol.PATH, Shape.EXACT, Body.NONE),
  UPLOAD_STATE("GET", ResumableUploadsProtocol.PATH, Shape.WITH_ID, Body.NONE),
  /** A resumable upload's next chunk, as the body. */
  APPEND_UPLOAD("PATCH", ResumableUploadsProtocol.PATH, Shape.WITH_ID, Body.IMAGE_BYTES),
  TERMINATE_UPLOAD("DELETE", ResumableUploadsProtocol.PATH, Shape.WITH_ID, Body.NONE);

  /** Whether the path is the base itself or the base, a slash and one identifier. */
  enum Shape {
    EXACT,
    WITH_ID
  }

  /** What a request's body is: image bytes are taken off the connection and lent. */
  public enum Body {
    NONE,
    IMAGE_BYTES
  }

  /** An operation and the identifier its path names (null for {@link Shape#EXACT}). */
  public record Match(InternalOperation operation, String id) {}

  private final String method;
  private final String base;
  private final Shape shape;
  private final Body body;

  InternalOperation(String method, String base, Shape shape, Body body) {
    this.method = method;
    this.base = base;
    this.shape = shape;
    this.body = body;
  }

  public String method() {
    return method;
  }

  public Body body() {
    return body;
  }

  /** The path of this operation, for the identifier {@code id} (ignored for exact paths). */
  public String path(String id) {
    return shape == Shape.EXACT ? base : base + "/" + id;
  }

  /** The operation a request line names; {@code path} without its query. */
  public static Optional<Match> match(String method, String path) {
    for (InternalOperation operation : values()) {
      if (!operation.method.equals(method)) {
        continue;
      }
      if (operation.shape == Shape.EXACT && path.equals(operation.base)) {
        return Optional.of(new Match(operation, null));
      }
      if (operation.shape == Shape.WITH_ID && path.startsWith(operation.base + "/")) {
        String id = path.substring(operation.base.length() + 1);
        if (!id.isEmpty() && id.indexOf('/') < 0) {
          return Optional.of(new Match(operation, id));
        }
      }
    }
    return Optional.empty();
  }

  /** Whether a request with this line carries image bytes the tap should take. */
  public static boolean carriesImageBytes(String method, String path) {
    return match(method, path).filter(m -> m.operation().body == Body.IMAGE_BYTES).isPresent();
  }
}
