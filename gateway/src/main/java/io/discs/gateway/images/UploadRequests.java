package io.discs.gateway.images;

import io.discs.platform.LocalServices;
import io.discs.platform.images.ImageBlobs;
import io.discs.platform.images.ResumableUploads;
import io.discs.platform.images.UploadBodyTap;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.vertx.core.Vertx;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The requests whose bodies {@link UploadBodyTap} takes: uploads that this process stores itself (a
 * raw {@code POST /api/v1/images}, a tus {@code PATCH} and a tus creation with its first bytes).
 * Multipart uploads go through Vert.x's decoder, and uploads for an image node elsewhere through
 * Vert.x's HTTP client: both keep Vert.x's own buffers.
 */
public final class UploadRequests implements Predicate<HttpRequest> {
  private static final String IMAGES = "/api/v1/images";
  private static final String UPLOADS = "/api/v1/uploads";

  private final Vertx vertx;

  public UploadRequests(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public boolean test(HttpRequest request) {
    String path = path(request.uri());
    String type = mediaType(request);
    HttpMethod method = request.method();
    if (HttpMethod.POST.equals(method) && path.equals(IMAGES)) {
      return !"multipart/form-data".equals(type) && local(ImageBlobs.class);
    }
    boolean tusBytes = ResumableRoutes.OFFSET_STREAM.equals(type);
    if (HttpMethod.PATCH.equals(method) && path.startsWith(UPLOADS + "/")) {
      return tusBytes && local(ResumableUploads.class);
    }
    if (HttpMethod.POST.equals(method) && path.equals(UPLOADS)) {
      return tusBytes && local(ResumableUploads.class);
    }
    return false;
  }

  private boolean local(Class<?> service) {
    return LocalServices.of(vertx).find(service).isPresent();
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
