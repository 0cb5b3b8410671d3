package io.discs.transfer.listener;

import io.discs.platform.Addresses;
import io.discs.platform.cluster.CallerProofs;
import io.discs.platform.cluster.MemberCredentials;
import io.discs.platform.config.HostPort;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.error.HttpStatus;
import io.discs.platform.images.ImageBlobs;
import io.discs.platform.images.ResumableUploads;
import io.discs.transfer.remote.ImageNodes;
import io.discs.transfer.remote.ListenerDirectory;
import io.discs.transfer.tap.LentBytes;
import io.discs.transfer.tap.UploadBodyTap;
import io.discs.transfer.wire.ImageBytesProtocol;
import io.discs.transfer.wire.InternalOperation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.serviceproxy.ServiceException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An image node's internal listener: gateways on other nodes stream uploads here and read image
 * bytes from here ({@link ImageBytesProtocol}), each call proven by the cluster secret. Uploads go
 * through the same ingest as a local one (hashing, inspection, dedup, events; nothing kept on
 * failure), their bodies lent from the network's pooled memory as the gateway's are ({@link
 * UploadBodyTap}). A connection silent for longer than an upload may be ({@link
 * ImageNodes#listenerIdleSeconds}) is closed: its caller is gone without a word, and its upload's
 * file and buffers are let go. The node says on the event bus where the listener is, and keeps an
 * entry in the cluster's map of listeners ({@link ListenerDirectory}) while it lives.
 */
public final class InternalListener {
  private static final Logger LOG = LoggerFactory.getLogger(InternalListener.class);

  /** How long a refused body is still read before the connection ends. */
  private static final long LINGER_MS = 2_000;

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final Vertx vertx;
  private final HttpServer server;
  private final MessageConsumer<Object> advertisement;
  private final HostPort advertised;
  private final long renewal;

  private InternalListener(
      Vertx vertx, HttpServer server, MessageConsumer<Object> advertisement, HostPort advertised) {
    this.vertx = vertx;
    this.server = server;
    this.advertisement = advertisement;
    this.advertised = advertised;
    this.renewal =
        vertx.setPeriodic(
            ListenerDirectory.RENEWAL.toMillis(),
            tick ->
                ListenerDirectory.announce(vertx, advertised)
                    .onFailure(
                        e -> LOG.warn("could not renew this listener's entry: {}", e.toString())));
  }

  public static Future<InternalListener> start(
      Vertx vertx,
      HostPort listen,
      HostPort advertised,
      MemberCredentials member,
      CallerProofs callers,
      int uploadIdleSeconds,
      ImageBlobs blobs,
      ResumableUploads uploads) {
    HttpServerOptions options =
        member.secure(
            new HttpServerOptions()
                .setIdleTimeout(ImageNodes.listenerIdleSeconds(uploadIdleSeconds))
                .setIdleTimeoutUnit(TimeUnit.SECONDS));
    String proof = member.listenerProof();
    HttpServer server =
        vertx
            .createHttpServer(options)
            .connectionHandler(
                connection ->
                    UploadBodyTap.install(
                        connection,
                        head -> InternalOperation.carriesImageBytes(head.method(), head.path()),
                        LentBytes.of(vertx)))
            .requestHandler(request -> handle(vertx, request, proof, callers, blobs, uploads));
    return server
        .listen(listen.port(), listen.host())
        .compose(
            bound -> {
              MessageConsumer<Object> consumer =
                  vertx
                      .eventBus()
                      .consumer(
                          Addresses.IMAGE_INTERNAL_LISTENER,
                          message -> message.reply(advertised.toString()));
              LOG.info(
                  "internal listener for image bytes on {} (advertised as {})", listen, advertised);
              return consumer
                  .completion()
                  .compose(v -> ListenerDirectory.announce(vertx, advertised))
                  .map(v -> new InternalListener(vertx, server, consumer, advertised));
            });
  }

  public Future<Void> stop() {
    vertx.cancelTimer(renewal);
    return ListenerDirectory.withdraw(vertx, advertised)
        .transform(v -> advertisement.unregister())
        .eventually(server::close);
  }

  private static void handle(
      Vertx vertx,
      HttpServerRequest request,
      String proof,
      CallerProofs callers,
      ImageBlobs blobs,
      ResumableUploads uploads) {
    request.pause();
    if (!ImageBytesProtocol.authentic(request.getHeader(ImageBytesProtocol.PROOF_HEADER), proof)) {
      LOG.warn("refused an internal call from {}: wrong cluster proof", request.remoteAddress());
      refuse(vertx, request, HttpStatus.UNAUTHORIZED, "the cluster proof is wrong");
      return;
    }
    InternalOperation.Match match =
        InternalOperation.match(request.method().name(), request.path()).orElse(null);
    if (match == null) {
      refuse(vertx, request, HttpStatus.NOT_FOUND, "no such internal resource");
      return;
    }
    switch (match.operation()) {
      case INGEST -> ingest(vertx, request, callers, blobs);
      case READ_BLOB -> download(request, match.id(), blobs);
      case CREATE_UPLOAD, UPLOAD_STATE, APPEND_UPLOAD, TERMINATE_UPLOAD ->
          InternalUploads.handle(vertx, request, match, uploads, callers);
    }
  }

  private static void ingest(
      Vertx vertx, HttpServerRequest request, CallerProofs callers, ImageBlobs blobs) {
    ImageBlobs.IngestRequest ingest;
    try {
      ingest =
          ImageBytesProtocol.decodeRequest(request.getHeader(ImageBytesProtocol.REQUEST_HEADER));
    } catch (IllegalArgumentException e) {
      refuse(vertx, request, HttpStatus.BAD_REQUEST, e.getMessage());
      return;
    }
    if (!callers.holds(ingest.caller())) {
      refuse(vertx, request, CallerProofs.NOT_PROVEN, "the caller of this upload is not proven");
      return;
    }
    blobs
        .ingest(UploadBodyTap.body(request), ingest)
        .onSuccess(
            result ->
                request
                    .response()
                    .setStatusCode(result.created() ? HttpStatus.CREATED : HttpStatus.OK)
                    .putHeader("Content-Type", "application/json")
                    .end(ImageBytesProtocol.encodeResult(result).toBuffer()))
        .onFailure(failure -> failed(vertx, request, failure, "could not store the upload"));
  }

  /**
   * A service's failure, answered with its status and words; an unexpected one is logged here and
   * answered as the image node's, without its details.
   */
  static void failed(Vertx vertx, HttpServerRequest request, Throwable failure, String what) {
    int status = DomainErrors.statusOf(failure);
    boolean unexpected = !(failure instanceof ServiceException);
    if (HttpStatus.serverError(status)) {
      LOG.warn("an internal call failed: the image node {}", what, failure);
    }
    refuse(vertx, request, status, unexpected ? "the image node " + what : failure.getMessage());
  }

  /** Bytes of a stored image, by digest, offset and length: sent from the file by the kernel. */
  private static void download(HttpServerRequest request, String sha256, ImageBlobs blobs) {
    request.resume(); // no body: a request left paused would hold up the connection's next
    long offset;
    long length;
    try {
      offset = Long.parseLong(request.getParam("offset"));
      length = Long.parseLong(request.getParam("length"));
    } catch (NumberFormatException e) {
      offset = -1;
      length = -1;
    }
    if (!SHA256.matcher(sha256).matches() || offset < 0 || length < 0) {
      request.response().setStatusCode(HttpStatus.BAD_REQUEST).end();
      return;
    }
    // Only the digest picks the file; the size is the caller's (it asks for a range it knows).
    blobs
        .send(
            new ImageBlobs.BlobLocation(offset + length, sha256),
            offset,
            length,
            request.response())
        .onFailure(
            e -> {
              if (!request.response().headWritten()) {
                request.response().setStatusCode(HttpStatus.NOT_FOUND).end();
              } else {
                request.response().reset();
              }
            });
  }

  /**
   * The answer goes out at once; what is still coming of the body is read and dropped for a moment
   * (so that the caller reads the answer rather than a reset), then the connection ends if the body
   * has not.
   */
  static void refuse(Vertx vertx, HttpServerRequest request, int status, String detail) {
    if (request.response().ended()) {
      return;
    }
    request
        .response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(ImageBytesProtocol.encodeFailure(detail).toBuffer());
    if (!request.isEnded()) {
      request.handler(dropped -> {}).exceptionHandler(e -> {}).endHandler(done -> {});
      request.resume();
      vertx.setTimer(
          LINGER_MS,
          id -> {
            if (!request.isEnded()) {
              request.connection().close();
            }
          });
    }
  }
}
