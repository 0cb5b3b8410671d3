package io.discs.transfer.remote;

import io.discs.platform.Addresses;
import io.discs.platform.cluster.MemberCredentials;
import io.discs.platform.config.HostPort;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.error.HttpStatus;
import io.discs.transfer.wire.ImageBytesProtocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.serviceproxy.ServiceException;

/** Finds an image node's internal listener: whoever answers on the bus (spread among several). */
public final class ImageNodes {
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(5_000);

  /**
   * How much longer than an upload's allowed silence an internal listener keeps a connection with
   * no traffic at all: a caller's own watch (the gateway's on its client) fires first and resets
   * the call, so the listener only closes connections whose caller is gone without a word (a host
   * down, a network cut) and never holds their upload's file and buffers for ever.
   */
  private static final int LISTENER_IDLE_SLACK_SECONDS = 10;

  /**
   * Below any listener's idle timeout (at least 11 s): a pooled connection is let go before the
   * listener could close it, never reused at the moment it does.
   */
  private static final int KEEP_ALIVE_SECONDS = 5;

  private ImageNodes() {}

  /** An internal listener's idle timeout, in seconds, for uploads allowed this much silence. */
  public static int listenerIdleSeconds(int uploadIdleSeconds) {
    return uploadIdleSeconds + LISTENER_IDLE_SLACK_SECONDS;
  }

  /**
   * Options for an HTTP client that calls internal listeners. No total deadline: an image takes as
   * long as the link between the nodes.
   */
  public static HttpClientOptions clientOptions(MemberCredentials member) {
    return member.secure(
        new HttpClientOptions().setConnectTimeout(5_000).setKeepAliveTimeout(KEEP_ALIVE_SECONDS));
  }

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
      Vertx vertx, HttpClient client, String proof, String sha256, long offset, long length) {
    return listener(vertx)
        .compose(
            node ->
                client.request(
                    new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setHost(node.host())
                        .setPort(node.port())
                        .setURI(ImageBytesProtocol.blobPath(sha256, offset, length))
                        .putHeader(ImageBytesProtocol.PROOF_HEADER, proof)))
        .compose(HttpClientRequest::send)
        .compose(
            answer ->
                answer.statusCode() == HttpStatus.OK
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
