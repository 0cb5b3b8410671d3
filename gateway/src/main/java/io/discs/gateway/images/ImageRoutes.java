package io.discs.gateway.images;

import io.discs.gateway.Operation;
import io.discs.gateway.api.ResourceRoutes;
import io.discs.gateway.auth.AccessControl;
import io.discs.platform.LocalServices;
import io.discs.platform.cluster.MemberCredentials;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.error.HttpStatus;
import io.discs.platform.images.ImageBlobs;
import io.discs.transfer.remote.RemoteImageBlobs;
import io.discs.transfer.tap.UploadBodyTap;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerFileUpload;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Image bytes over HTTP: the streamed upload (raw body or a multipart part named {@code file}) and
 * the download with ranges. Bytes go to and from image-service in this process or, from a gateway
 * as a member of the cluster, an image node's internal listener.
 */
public final class ImageRoutes implements ResourceRoutes {
  /**
   * On an upload whose bytes were stored already: the answer is that image, under the name it was
   * first given, and this header says so (the name sent was not used).
   */
  public static final String ALREADY_STORED = "Discs-Already-Stored";

  private final Vertx vertx;

  private final long uploadIdleMs;
  private final ImageBlobs remote;

  /**
   * @param member null when this gateway may not call image nodes on other hosts
   */
  public ImageRoutes(Vertx vertx, int uploadIdleSeconds, MemberCredentials member) {
    this.vertx = vertx;
    this.uploadIdleMs = uploadIdleSeconds * 1000L;
    this.remote = member == null ? null : new RemoteImageBlobs(vertx, member);
  }

  @Override
  public void addTo(Map<Operation, Handler<RoutingContext>> handlers) {
    handlers.put(Operation.UPLOAD_IMAGE, this::upload);
    handlers.put(Operation.GET_IMAGE_CONTENT, this::content);
    handlers.put(Operation.HEAD_IMAGE_CONTENT, this::content);
  }

  /**
   * Runs before authentication: holds the body back, so that nothing is read (or lost) while the
   * token is checked.
   */
  public static void holdBody(RoutingContext ctx) {
    ctx.request().pause();
    ctx.next();
  }

  public void upload(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String expected = DigestHeaders.expectedSha256(request.headers());
    ImageBlobs blobs = blobs();
    String contentType = request.getHeader("Content-Type");
    boolean multipart =
        contentType != null
            && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    Future<ReadStream<Buffer>> body;
    Future<String> name;
    Long declared = multipart ? null : contentLength(request);
    if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
      // Authenticated and authorised by now: invite the client to send the body.
      ctx.response().writeContinue();
    }
    if (multipart) {
      Future<HttpServerFileUpload> part = filePart(request);
      body = part.map(upload -> upload);
      name = part.map(upload -> nameParam(ctx) != null ? nameParam(ctx) : upload.filename());
      // The multipart decoder must read until it finds the part; the part itself stays paused.
      request.resume();
    } else {
      // Still paused: the ingest's pipe resumes it once it has somewhere to put the bytes.
      body = Future.succeededFuture(UploadBodyTap.body(request));
      name = Future.succeededFuture(nameParam(ctx));
    }
    body.compose(
            stream ->
                name.compose(
                    n ->
                        blobs.ingest(
                            new IdleWatchedStream(vertx, stream, uploadIdleMs),
                            new ImageBlobs.IngestRequest(
                                n, expected, declared, AccessControl.caller(ctx)))))
        .onSuccess(
            result -> {
              if (!result.created()) {
                ctx.response().putHeader(ALREADY_STORED, "true");
              }
              ctx.response()
                  .setStatusCode(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
                  .putHeader("Location", Operation.GET_IMAGE.at(result.image().getId()))
                  .putHeader("Content-Type", "application/json")
                  .end(result.image().toJson().encode());
            })
        .onFailure(
            failure -> {
              IdleWatchedStream.hangUpIfIdle(vertx, ctx, failure);
              ctx.fail(failure);
            });
  }

  public void content(RoutingContext ctx) {
    ImageBlobs blobs = blobs();
    blobs
        .locate(ctx.pathParam("id"))
        .onSuccess(
            blob -> {
              HttpServerResponse response = ctx.response();
              String etag = "\"" + blob.sha256() + "\"";
              response
                  .putHeader("ETag", etag)
                  .putHeader("Accept-Ranges", "bytes")
                  .putHeader("Content-Type", "application/octet-stream")
                  .putHeader("Cache-Control", "private, no-cache");
              if (etag.equals(ctx.request().getHeader("If-None-Match"))) {
                response.setStatusCode(HttpStatus.NOT_MODIFIED).end();
                return;
              }
              String ifRange = ctx.request().getHeader("If-Range");
              String rangeHeader =
                  ifRange == null || ifRange.equals(etag) ? ctx.request().getHeader("Range") : null;
              ByteRange.Request range = ByteRange.parse(rangeHeader, blob.sizeBytes());
              boolean head = HttpMethod.HEAD.equals(ctx.request().method());
              if (range instanceof ByteRange.Unsatisfiable) {
                response.putHeader("Content-Range", "bytes */" + blob.sizeBytes());
                ctx.fail(
                    HttpStatus.RANGE_NOT_SATISFIABLE,
                    DomainErrors.badRequest(
                        "the range is outside the image's " + blob.sizeBytes() + " bytes"));
              } else if (range instanceof ByteRange.Partial partial) {
                ByteRange r = partial.range();
                response
                    .setStatusCode(HttpStatus.PARTIAL_CONTENT)
                    .putHeader(
                        "Content-Range",
                        "bytes " + r.start() + "-" + r.end() + "/" + blob.sizeBytes());
                send(ctx, blobs, head, blob, r.start(), r.length());
              } else {
                send(ctx, blobs, head, blob, 0, blob.sizeBytes());
              }
            })
        .onFailure(ctx::fail);
  }

  private static void send(
      RoutingContext ctx,
      ImageBlobs blobs,
      boolean head,
      ImageBlobs.BlobLocation blob,
      long offset,
      long length) {
    HttpServerResponse response = ctx.response();
    if (head) {
      response.putHeader("Content-Length", String.valueOf(length)).end();
      return;
    }
    blobs
        .send(blob, offset, length, response)
        .onFailure(
            failure -> {
              if (!response.headWritten()) {
                ctx.fail(failure); // nothing sent yet (no image node, say): a problem+json answer
              } else if (!response.ended()) {
                response.reset(); // a short body is cut off, never passed off as whole
              }
            });
  }

  /** image-service in this process if it runs here, else an image node's internal listener. */
  private ImageBlobs blobs() {
    return LocalServices.of(vertx)
        .find(ImageBlobs.class)
        .or(() -> Optional.ofNullable(remote))
        .orElseThrow(
            () ->
                DomainErrors.unavailable(
                    "image bytes need image-service in this process, or DISCS_CLUSTER_SECRET to"
                        + " reach an image node; this gateway has neither"));
  }

  /** The first part named {@code file}; other parts are read and dropped. */
  private static Future<HttpServerFileUpload> filePart(HttpServerRequest request) {
    request.setExpectMultipart(true);
    io.vertx.core.Promise<HttpServerFileUpload> part = io.vertx.core.Promise.promise();
    request.uploadHandler(
        upload -> {
          if ("file".equals(upload.name()) && !part.future().isComplete()) {
            upload.pause();
            part.complete(upload);
          } else {
            upload.handler(ignored -> {});
          }
        });
    request.endHandler(
        v -> part.tryFail(DomainErrors.badRequest("the multipart body has no part named 'file'")));
    return part.future();
  }

  private static String nameParam(RoutingContext ctx) {
    return ctx.request().getParam("name");
  }

  private static Long contentLength(HttpServerRequest request) {
    String value = request.getHeader("Content-Length");
    try {
      return value == null ? null : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw DomainErrors.badRequest("Content-Length is not a number");
    }
  }
}
