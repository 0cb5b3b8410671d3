package io.discs.platform.images;

import io.discs.platform.Addresses;
import io.discs.platform.config.HostPort;
import io.discs.platform.error.DomainErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.serviceproxy.ServiceException;

/** Finds an image node's internal listener: whoever answers on the bus (spread among several). */
public final class ImageNodes {
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(5_000);

  private ImageNodes() {}

  /**
   * A call to an image node that broke on the way (the node died, the connection reset) as the 503
   * it is; what the image node said itself passes unchanged.
   */
  public static <T> Future<T> lostOnTheWay(Throwable failure) {
    return Future.failedFuture(
        failure instanceof ServiceException
            ? failure
            : DomainErrors.unavailable(
                "the image node went away during the call ("
                    + failure.getMessage()
                    + "); nothing was stored from it"));
  }

  /**
   * An image node's answer with a blob's bytes, not yet read (the caller pipes it where it goes).
   * Any other answer is read to its end, so that the pooled connection is free for the next call,
   * and fails.
   */
  public static Future<HttpClientResponse> blob(
      Vertx vertx, HttpClient client, String secret, String sha256, long offset, long length) {
    return listener(vertx)
        .compose(
            node ->
                client.request(
                    new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setHost(node.host())
                        .setPort(node.port())
                        .setURI(ImageBytesProtocol.blobPath(sha256, offset, length))
                        .putHeader(ImageBytesProtocol.SECRET_HEADER, secret)))
        .compose(HttpClientRequest::send)
        .compose(
            answer ->
                answer.statusCode() == 200
                    ? Future.succeededFuture(answer)
                    : answer
                        .body()
                        .transform(
                            read ->
                                Future.failedFuture(
                                    DomainErrors.unavailable(
                                        "the image node answered "
                                            + answer.statusCode()
                                            + " when asked for image "
                                            + sha256))));
  }

  public static Future<HostPort> listener(Vertx vertx) {
    return vertx
        .eventBus()
        .<String>request(Addresses.IMAGE_INTERNAL_LISTENER, null, ASK)
        .map(reply -> HostPort.parse(reply.body()))
        .recover(
            e ->
                Future.failedFuture(
                    DomainErrors.unavailable("no image node answers at the moment")));
  }
}
