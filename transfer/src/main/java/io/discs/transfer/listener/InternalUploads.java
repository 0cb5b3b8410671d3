package io.discs.transfer.listener;

import io.discs.platform.Caller;
import io.discs.platform.cluster.CallerProofs;
import io.discs.platform.error.HttpStatus;
import io.discs.platform.images.ResumableUploads;
import io.discs.transfer.tap.UploadBodyTap;
import io.discs.transfer.wire.InternalOperation;
import io.discs.transfer.wire.ResumableUploadsProtocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * The internal listener's {@code /internal/v1/uploads}: a gateway on another node drives this
 * node's resumable uploads ({@link ResumableUploadsProtocol}), as the one beside it would.
 */
final class InternalUploads {

  private InternalUploads() {}

  static void handle(
      Vertx vertx,
      HttpServerRequest request,
      InternalOperation.Match match,
      ResumableUploads uploads,
      CallerProofs callers) {
    JsonObject call;
    try {
      call =
          ResumableUploadsProtocol.decodeCall(
              request.getHeader(ResumableUploadsProtocol.CALL_HEADER));
    } catch (IllegalArgumentException e) {
      InternalListener.refuse(vertx, request, HttpStatus.BAD_REQUEST, e.getMessage());
      return;
    }
    if (!(call.getValue("caller") instanceof JsonObject callerJson)
        || !callers.holds(new Caller(callerJson))) {
      InternalListener.refuse(
          vertx, request, CallerProofs.NOT_PROVEN, "the caller of this call is not proven");
      return;
    }
    String id = match.id();
    if (match.operation().body() == InternalOperation.Body.NONE) {
      // No body to wait for: a request left paused would hold up the pooled connection's next.
      request.resume();
    }
    Caller caller = ResumableUploadsProtocol.caller(call);
    int status =
        match.operation() == InternalOperation.CREATE_UPLOAD ? HttpStatus.CREATED : HttpStatus.OK;
    Future<JsonObject> answer =
        switch (match.operation()) {
          case CREATE_UPLOAD ->
              uploads
                  .create(ResumableUploadsProtocol.newUpload(call))
                  .map(ResumableUploadsProtocol::encodeState);
          case UPLOAD_STATE -> uploads.state(id, caller).map(ResumableUploadsProtocol::encodeState);
          case APPEND_UPLOAD ->
              uploads
                  .append(
                      id, ResumableUploadsProtocol.chunk(call), UploadBodyTap.body(request), caller)
                  .map(ResumableUploadsProtocol::encodeAppended);
          case TERMINATE_UPLOAD -> uploads.terminate(id, caller).map(v -> new JsonObject());
          default -> throw new IllegalArgumentException(match.operation() + " is not an upload's");
        };
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
            failure ->
                InternalListener.failed(vertx, request, failure, "could not take the upload"));
  }
}
