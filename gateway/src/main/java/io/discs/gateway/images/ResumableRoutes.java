package io.discs.gateway.images;

import io.discs.gateway.Operation;
import io.discs.gateway.api.ResourceRoutes;
import io.discs.gateway.auth.AccessControl;
import io.discs.platform.LocalServices;
import io.discs.platform.cluster.MemberCredentials;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.error.HttpStatus;
import io.discs.platform.images.ResumableUploads;
import io.discs.platform.images.ResumableUploads.UploadState;
import io.discs.transfer.remote.RemoteResumableUploads;
import io.discs.transfer.tap.UploadBodyTap;
import io.discs.transfer.wire.ResumableUploadsProtocol;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/uploads}: resumable uploads in the tus 1.0.0 protocol (core, creation,
 * creation-with-upload, termination, expiration, checksum with sha256), so that any tus client can
 * upload and resume. {@code GET} on an upload adds a JSON view (with the image it became).
 */
public final class ResumableRoutes implements ResourceRoutes {
  static final String TUS_VERSION = "1.0.0";
  static final String OFFSET_STREAM = "application/offset+octet-stream";
  private static final String EXTENSIONS =
      "creation,creation-with-upload,termination,expiration,checksum";
  private static final Pattern HEX_SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern DIGITS = Pattern.compile("\\d{1,19}");

  private final Vertx vertx;
  private final long idleMs;
  private final long maxBytes;

  /** The image node's uploads when image-service does not run in this process; else null. */
  private final ResumableUploads remote;

  /**
   * @param member this node's cluster credentials, to reach an image node's uploads from another
   *     node; or null
   */
  public ResumableRoutes(Vertx vertx, int idleSeconds, long maxBytes, MemberCredentials member) {
    this.vertx = vertx;
    this.remote = member == null ? null : new RemoteResumableUploads(vertx, member);
    this.idleMs = idleSeconds * 1000L;
    this.maxBytes = maxBytes;
  }

  @Override
  public void addTo(Map<Operation, Handler<RoutingContext>> handlers) {
    handlers.put(Operation.UPLOAD_OPTIONS, this::options);
    handlers.put(Operation.CREATE_UPLOAD, this::create);
    handlers.put(Operation.GET_UPLOAD, this::get);
    handlers.put(Operation.HEAD_UPLOAD, this::head);
    handlers.put(Operation.APPEND_UPLOAD, this::append);
    handlers.put(Operation.DELETE_UPLOAD, this::terminate);
  }

  /** First on every {@code /uploads} route: every answer, errors included, names the protocol. */
  public static void protocol(RoutingContext ctx) {
    ctx.response().putHeader("Tus-Resumable", TUS_VERSION);
    ctx.next();
  }

  /** After authentication: a tus request in another version of the protocol is refused. */
  private static void requireVersion(RoutingContext ctx) {
    if (!TUS_VERSION.equals(ctx.request().getHeader("Tus-Resumable"))) {
      ctx.response().putHeader("Tus-Version", TUS_VERSION);
      throw DomainErrors.preconditionFailed("Tus-Resumable: " + TUS_VERSION + " is required");
    }
  }

  public void options(RoutingContext ctx) {
    ctx.response()
        .setStatusCode(HttpStatus.NO_CONTENT)
        .putHeader("Tus-Version", TUS_VERSION)
        .putHeader("Tus-Extension", EXTENSIONS)
        .putHeader("Tus-Max-Size", String.valueOf(maxBytes))
        .putHeader("Tus-Checksum-Algorithm", "sha256")
        .end();
  }

  public void create(RoutingContext ctx) {
    requireVersion(ctx);
    HttpServerRequest request = ctx.request();
    if (request.getHeader("Upload-Defer-Length") != null) {
      throw DomainErrors.badRequest("Upload-Defer-Length is not supported: send Upload-Length");
    }
    long length = number(request.getHeader("Upload-Length"), "Upload-Length");
    Map<String, String> metadata = metadata(request.getHeader("Upload-Metadata"));
    String name = metadata.getOrDefault("name", metadata.get("filename"));
    if (name == null) {
      throw DomainErrors.badRequest("Upload-Metadata must carry the image's 'name'");
    }
    String sha256 = metadata.get("sha256");
    if (sha256 != null && !HEX_SHA256.matcher(sha256.toLowerCase(Locale.ROOT)).matches()) {
      throw DomainErrors.badRequest("Upload-Metadata sha256 must be 64 hex digits");
    }
    boolean withBody = OFFSET_STREAM.equals(mediaType(request));
    ReadStream<Buffer> body = withBody ? UploadBodyTap.body(request) : request;
    ResumableUploads uploads = uploads();
    uploads
        .create(
            new ResumableUploads.NewUpload(
                name,
                length,
                sha256 == null ? null : sha256.toLowerCase(Locale.ROOT),
                AccessControl.caller(ctx)))
        .compose(
            state -> {
              HttpServerResponse response = ctx.response();
              response.putHeader("Location", location(state));
              expires(response, state);
              if (!withBody) {
                // Whatever body came with it is not upload data: read and dropped.
                request.resume();
                return Future.succeededFuture(state);
              }
              return uploads
                  .append(state.id(), chunk(request, 0), watched(body), AccessControl.caller(ctx))
                  .onSuccess(appended -> answerAppended(response, appended))
                  .map(ResumableUploads.Appended::state)
                  // A creation that failed is answered with an error, so the client never learns
                  // where the upload is: it is removed rather than left to hold one of the
                  // owner's slots until it expires.
                  .recover(
                      failure ->
                          uploads
                              .terminate(state.id(), AccessControl.caller(ctx))
                              .transform(v -> Future.failedFuture(failure)));
            })
        .onSuccess(state -> ctx.response().setStatusCode(HttpStatus.CREATED).end())
        .onFailure(failure -> failed(ctx, failure));
  }

  public void head(RoutingContext ctx) {
    requireVersion(ctx);
    uploads()
        .state(ctx.pathParam("id"), AccessControl.caller(ctx))
        .onSuccess(
            state -> {
              HttpServerResponse response = ctx.response();
              expires(response, state);
              response
                  .putHeader("Upload-Offset", offset(state))
                  .putHeader("Upload-Length", String.valueOf(state.length()))
                  .putHeader("Cache-Control", "no-store")
                  .setStatusCode(HttpStatus.OK)
                  .end();
            })
        .onFailure(ctx::fail);
  }

  public void get(RoutingContext ctx) {
    uploads()
        .state(ctx.pathParam("id"), AccessControl.caller(ctx))
        .onSuccess(
            state ->
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Cache-Control", "no-store")
                    .end(json(state).encode()))
        .onFailure(ctx::fail);
  }

  public void append(RoutingContext ctx) {
    requireVersion(ctx);
    HttpServerRequest request = ctx.request();
    if (!OFFSET_STREAM.equals(mediaType(request))) {
      throw DomainErrors.unsupportedMedia("a PATCH carries Content-Type: " + OFFSET_STREAM);
    }
    long offset = number(request.getHeader("Upload-Offset"), "Upload-Offset");
    uploads()
        .append(
            ctx.pathParam("id"),
            chunk(request, offset),
            watched(UploadBodyTap.body(request)),
            AccessControl.caller(ctx))
        .onSuccess(
            appended -> {
              answerAppended(ctx.response(), appended);
              ctx.response().setStatusCode(HttpStatus.NO_CONTENT).end();
            })
        .onFailure(failure -> failed(ctx, failure));
  }

  /**
   * The headers of a chunk taken: the new offset and expiry, and on the last chunk the image it
   * became, saying so when the same bytes were stored already (under the name they had then).
   */
  private static void answerAppended(HttpServerResponse response, ResumableUploads.Appended done) {
    expires(response, done.state());
    response.putHeader("Upload-Offset", offset(done.state()));
    if (done.image() != null) {
      response.putHeader("Discs-Image-Id", done.image().image().getId());
      if (!done.image().created()) {
        response.putHeader(ImageRoutes.ALREADY_STORED, "true");
      }
    }
  }

  public void terminate(RoutingContext ctx) {
    requireVersion(ctx);
    uploads()
        .terminate(ctx.pathParam("id"), AccessControl.caller(ctx))
        .onSuccess(v -> ctx.response().setStatusCode(HttpStatus.NO_CONTENT).end())
        .onFailure(ctx::fail);
  }

  private IdleWatchedStream watched(ReadStream<Buffer> body) {
    return new IdleWatchedStream(vertx, body, idleMs);
  }

  private void failed(RoutingContext ctx, Throwable failure) {
    IdleWatchedStream.hangUpIfIdle(vertx, ctx, failure);
    ctx.fail(failure);
  }

  private static ResumableUploads.Chunk chunk(HttpServerRequest request, long offset) {
    String length = request.getHeader("Content-Length");
    Long declared = length == null ? null : number(length, "Content-Length");
    return new ResumableUploads.Chunk(
        offset, declared, checksum(request.getHeader("Upload-Checksum")));
  }

  /** {@code Upload-Checksum: sha256 <base64>}; other algorithms are refused (400). */
  private static byte[] checksum(String header) {
    if (header == null) {
      return null;
    }
    String[] parts = header.trim().split(" ", 2);
    if (parts.length != 2 || !parts[0].equalsIgnoreCase("sha256")) {
      throw DomainErrors.badRequest("Upload-Checksum supports sha256 only: 'sha256 <base64>'");
    }
    try {
      byte[] digest = Base64.getDecoder().decode(parts[1].trim());
      if (digest.length != 32) {
        throw DomainErrors.badRequest("Upload-Checksum's sha256 value must be 32 bytes");
      }
      return digest;
    } catch (IllegalArgumentException e) {
      throw DomainErrors.badRequest("Upload-Checksum's value is not base64");
    }
  }

  /** tus's Upload-Metadata: comma-separated {@code key base64(value)} pairs, keys unique. */
  static Map<String, String> metadata(String header) {
    Map<String, String> pairs = new HashMap<>();
    if (header == null || header.isBlank()) {
      return pairs;
    }
    for (String pair : header.split(",")) {
      String[] kv = pair.trim().split(" ", 2);
      if (kv[0].isEmpty() || pairs.containsKey(kv[0])) {
        throw DomainErrors.badRequest("Upload-Metadata has an empty or repeated key");
      }
      try {
        pairs.put(
            kv[0],
            kv.length == 2
                ? new String(Base64.getDecoder().decode(kv[1].trim()), StandardCharsets.UTF_8)
                : "");
      } catch (IllegalArgumentException e) {
        throw DomainErrors.badRequest("Upload-Metadata's value of '" + kv[0] + "' is not base64");
      }
    }
    return pairs;
  }

  private static long number(String value, String header) {
    if (value == null || !DIGITS.matcher(value.trim()).matches()) {
      throw DomainErrors.badRequest(header + " must be a non-negative integer");
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw DomainErrors.badRequest(header + " is too large");
    }
  }

  private static String mediaType(HttpServerRequest request) {
    String type = request.getHeader("Content-Type");
    return type == null ? null : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
  }

  private static void expires(HttpServerResponse response, UploadState state) {
    response.putHeader(
        "Upload-Expires",
        DateTimeFormatter.RFC_1123_DATE_TIME.format(state.expiresAt().atOffset(ZoneOffset.UTC)));
  }

  private static String offset(UploadState state) {
    return String.valueOf(state.offset());
  }

  private static String location(UploadState state) {
    return Operation.GET_UPLOAD.at(state.id());
  }

  private static JsonObject json(UploadState state) {
    return ResumableUploadsProtocol.encodeState(state).put("complete", state.complete());
  }

  /** image-service in this process if it runs here, else an image node's internal listener. */
  private ResumableUploads uploads() {
    return LocalServices.of(vertx)
        .find(ResumableUploads.class)
        .or(() -> java.util.Optional.ofNullable(remote))
        .orElseThrow(
            () ->
                DomainErrors.unavailable(
                    "uploads need image-service in this process, or DISCS_CLUSTER_SECRET to reach"
                        + " an image node; this gateway has neither"));
  }
}
