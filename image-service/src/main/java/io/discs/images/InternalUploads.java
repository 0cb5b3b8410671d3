package io.discs.images;

import io.discs.platform.cluster.CallerProofs;
import io.discs.platform.images.ResumableUploads;
import io.discs.platform.images.ResumableUploadsProtocol;
import io.discs.platform.images.UploadBodyTap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The internal listener's {@code /internal/v1/uploads}: a gateway on another node drives this
 * node's resumable uploads ({@link ResumableUploadsProtocol}), as the one beside it would.
 */
final class InternalUploads {
  private static final Logger LOG = LoggerFactory.getLogger(InternalUploads.class);

  private InternalUploads() {}

  static boolean handles(HttpServerRequest request) {
    String path = request.path();
    return path.equals(ResumableUploadsProtocol.PATH)
        || path.startsWith(ResumableUploadsProtocol.PATH + "/");
  }

  static void handle(
      Vertx vertx, HttpServerRequest request, ResumableUploads uploads, CallerProofs callers) {
    JsonObject call;
    try {
      call =
          ResumableUploadsProtocol.decodeCall(
              request.getHeader(ResumableUploadsProtocol.CALL_HEADER));
    } catch (IllegalArgumentException e) {
      InternalListener.refuse(vertx, request, 400, e.getMessage());
      return;
    }
    if (!(call.getValue("caller") instanceof JsonObject caller)
        || !callers.holds(new io.discs.platform.Caller(caller))) {
      InternalListener.refuse(
          vertx, request, CallerProofs.NOT_PROVEN, "the caller of this call is not proven");
      return;
    }
    String id =
        request.path().length() > ResumableUploadsProtocol.PATH.length()
            ? request.path().substring(ResumableUploadsProtocol.PATH.length() + 1)
            : null;
    HttpMethod method = request.method();
    if (method != HttpMethod.PATCH) {
      // No body to wait for: a request left paused would hold up the pooled connection's next.
      request.resume();
    }
    Future<JsonObject> answer;
    int status = 200;
    if (id == null && method == HttpMethod.POST) {
      answer =
          uploads
              .create(ResumableUploadsProtocol.newUpload(call))
              .map(ResumableUploadsProtocol::encodeState);
      status = 201;
    } else if (id != null && method == HttpMethod.GET) {
      answer =
          uploads
              .state(id, ResumableUploadsProtocol.caller(call))
              .map(ResumableUploadsProtocol::encodeState);
    } else if (id != null && method == HttpMethod.PATCH) {
      answer =
          uploads
              .append(
                  id,
                  ResumableUploadsProtocol.chunk(call),
                  UploadBodyTap.body(request),
                  ResumableUploadsProtocol.caller(call))
              .map(ResumableUploadsProtocol::encodeAppended);
    } else if (id != null && method == HttpMethod.DELETE) {
      answer =
          uploads.terminate(id, ResumableUploadsProtocol.caller(call)).map(v -> new JsonObject());
    } else {
      InternalListener.refuse(vertx, request, 404, "no such internal resource");
      return;
    }
    int success = status;
    answer
        .onSuccess(
            json ->
                request
                    .response()
                    .setStatusCode(success)
                    .putHeader("Content-Type", "application/json")
                    .end(json.toBuffer()))
        .onFailure(
            failure -> {
              int code = failure instanceof ServiceException known ? known.failureCode() : 500;
              if (code >= 500) {
                LOG.warn("an internal upload call failed", failure);
              }
              InternalListener.refuse(
                  vertx,
                  request,
                  code,
                  code >= 500 && !(failure instanceof ServiceException)
                      ? "the image node could not take the upload"
                      : failure.getMessage());
            });
  }
}
