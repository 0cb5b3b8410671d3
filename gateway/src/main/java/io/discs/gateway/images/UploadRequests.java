package io.discs.gateway.images;

import io.discs.platform.images.UploadBodyTap;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The requests whose bodies {@link UploadBodyTap} takes: uploads (a raw {@code POST
 * /api/v1/images}, a tus {@code PATCH} and a tus creation with its first bytes), whether
 * image-service is in this process or on an image node elsewhere ({@link ForwardedBody} sends the
 * lent chunks on). Multipart uploads go through Vert.x's decoder and keep Vert.x's own buffers.
 */
public final class UploadRequests implements Predicate<HttpRequest> {
  private static final String IMAGES = "/api/v1/images";
  private static final String UPLOADS = "/api/v1/uploads";

  @Override
  public boolean test(HttpRequest request) {
    String path = path(request.uri());
    String type = mediaType(request);
    HttpMethod method = request.method();
    if (HttpMethod.POST.equals(method) && path.equals(IMAGES)) {
      return !"multipart/form-data".equals(type);
    }
    boolean tusBytes = ResumableRoutes.OFFSET_STREAM.equals(type);
    if (HttpMethod.PATCH.equals(method) && path.startsWith(UPLOADS + "/")) {
      return tusBytes;
    }
    if (HttpMethod.POST.equals(method) && path.equals(UPLOADS)) {
      return tusBytes;
    }
    return false;
  }

  private static String path(String uri) {
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }

  private static String mediaType(HttpRequest request) {
    String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
    return type == null ? null : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
  }
}
