package io.discs.transfer.remote;

import io.discs.platform.Addresses;
import io.discs.platform.cluster.MemberCredentials;
import io.discs.platform.config.HostPort;
import io.discs.platform.images.ImageBlobs;
import io.discs.platform.images.ImageService;
import io.discs.transfer.wire.ImageBytesProtocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;
import io.vertx.serviceproxy.ServiceProxyBuilder;

/**
 * {@link ImageBlobs} of an image node on another host: an upload is streamed to that node's
 * internal listener (found on the event bus) with the cluster secret, back-pressure end to end (the
 * client's bytes are read only as fast as the image node takes them). Downloads still need a
 * gateway beside image-service.
 */
public final class RemoteImageBlobs implements ImageBlobs {
  private static final DeliveryOptions ASK = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;
  private final HttpClient client;
  private final String proof;
  private final ImageService images;

  public RemoteImageBlobs(Vertx vertx, MemberCredentials member) {
    this.vertx = vertx;
    this.proof = member.listenerProof();
    this.images =
        new ServiceProxyBuilder(vertx)
            .setAddress(Addresses.IMAGE_SERVICE)
            .setOptions(ASK)
            .build(ImageService.class);
    // The gateway watches its client for silence and resets this call when it falls silent; the
    // image node closes the connection only when this gateway is silent for longer.
    this.client = vertx.createHttpClient(ImageNodes.clientOptions(member));
  }

  @Override
  public Future<IngestResult> ingest(ReadStream<Buffer> body, IngestRequest request) {
    body.pause(); // nothing may flow before there is somewhere to send it
    return imageNode()
        .compose(
            node ->
                client.request(
                    new RequestOptions()
                        .setMethod(HttpMethod.PUT)
                        .setHost(node.host())
                        .setPort(node.port())
                        .setURI(ImageBytesProtocol.PATH)
                        .putHeader(ImageBytesProtocol.PROOF_HEADER, proof)
                        .putHeader(
                            ImageBytesProtocol.REQUEST_HEADER,
                            ImageBytesProtocol.encodeRequest(request))))
        .compose(call -> ForwardedBody.send(call, body, request.declaredLength()))
        .compose(
            answer ->
                answer
                    .body()
                    .map(bytes -> ImageBytesProtocol.decodeAnswer(answer.statusCode(), bytes)))
        .recover(ImageNodes::lostOnTheWay);
  }

  @Override
  public Future<BlobLocation> locate(String imageId) {
    return images.get(imageId).map(BlobLocation::of);
  }

  /**
   * The image node's answer is piped into the response: read only as fast as the client takes it.
   */
  @Override
  public Future<Void> send(
      BlobLocation blob, long offset, long length, HttpServerResponse response) {
    return ImageNodes.blob(vertx, client, proof, blob.sha256(), offset, length)
        .compose(
            answer -> {
              response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(length));
              return answer.pipeTo(response);
            });
  }

  private Future<HostPort> imageNode() {
    return ImageNodes.listener(vertx);
  }
}
