package io.discs.gateway.images;

import io.discs.transfer.tap.RequestHead;
import io.discs.transfer.tap.UploadBodyTap;
import java.util.function.Predicate;

/**
 * The requests whose bodies {@link UploadBodyTap} takes: uploads (a raw {@code POST
 * /api/v1/images}, a tus {@code PATCH} and a tus creation with its first bytes), whether
 * image-service is in this process or on an image node elsewhere ({@link ForwardedBody} sends the
 * lent chunks on). Multipart uploads go through Vert.x's decoder and keep Vert.x's own buffers.
 */
public final class UploadRequests implements Predicate<RequestHead> {
  private static final String IMAGES = "/api/v1/images";
  private static final String UPLOADS = "/api/v1/uploads";

  @Override
  public boolean test(RequestHead request) {
    String path = request.path();
    String type = request.mediaType();
    String method = request.method();
    if ("POST".equals(method) && path.equals(IMAGES)) {
      return !"multipart/form-data".equals(type);
    }
    boolean tusBytes = ResumableRoutes.OFFSET_STREAM.equals(type);
    if ("PATCH".equals(method) && path.startsWith(UPLOADS + "/")) {
      return tusBytes;
    }
    if ("POST".equals(method) && path.equals(UPLOADS)) {
      return tusBytes;
    }
    return false;
  }
}
