package io.discs.images;

import io.discs.platform.images.ImageBytesProtocol;
import io.discs.platform.images.ResumableUploadsProtocol;
import io.discs.platform.images.UploadBodyTap;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.function.Predicate;

/**
 * The internal listener's requests whose bodies {@link UploadBodyTap} takes: a gateway's upload
 * ({@code PUT} {@link ImageBytesProtocol#PATH}) and a resumable upload's bytes ({@code PATCH} under
 * {@link ResumableUploadsProtocol#PATH}). Decided from the request line alone; a request the
 * listener then refuses (a wrong secret) gives its body back as it arrives.
 */
final class InternalUploadRequests implements Predicate<HttpRequest> {
  @Override
  public boolean test(HttpRequest request) {
    String path = path(request.uri());
    return HttpMethod.PUT.equals(request.method()) && path.equals(ImageBytesProtocol.PATH)
        || HttpMethod.PATCH.equals(request.method())
            && path.startsWith(ResumableUploadsProtocol.PATH + "/");
  }

  private static String path(String uri) {
    int query = uri.indexOf('?');
    return query < 0 ? uri : uri.substring(0, query);
  }
}
