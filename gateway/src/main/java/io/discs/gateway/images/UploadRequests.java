package io.discs.gateway.images;

import io.discs.gateway.Operation;
import io.discs.transfer.tap.RequestHead;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The requests whose bodies the upload body tap takes: the route table's streamed uploads (a raw
 * {@code POST /api/v1/images}, a tus {@code PATCH} and a tus creation with its first bytes),
 * whether image-service is in this process or on an image node elsewhere. Multipart uploads go
 * through Vert.x's decoder and keep Vert.x's own buffers; a tus request carries its bytes only as
 * {@code application/offset+octet-stream}.
 */
public final class UploadRequests implements Predicate<RequestHead> {
  private static final Set<Operation> TUS =
      Set.of(Operation.CREATE_UPLOAD, Operation.APPEND_UPLOAD);

  @Override
  public boolean test(RequestHead request) {
    for (Operation operation : Operation.values()) {
      if (operation.body() == Operation.Body.STREAM_IN
          && operation.matches(request.method(), request.path())) {
        return TUS.contains(operation)
            ? ResumableRoutes.OFFSET_STREAM.equals(request.mediaType())
            : !"multipart/form-data".equals(request.mediaType());
      }
    }
    return false;
  }
}
