package io.discs.transfer.remote;

import io.discs.platform.Caller;
import io.discs.platform.cluster.MemberCredentials;
import io.discs.platform.config.HostPort;
import io.discs.platform.images.ResumableUploads;
import io.discs.transfer.wire.ImageBytesProtocol;
import io.discs.transfer.wire.ResumableUploadsProtocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;
import java.util.List;
import java.util.function.BiFunction;

/**
 * {@link ResumableUploads} of an image node on another host, through its internal listener: a chunk
 * is streamed there with back-pressure, as a single upload is ({@link RemoteImageBlobs}). An
 * upload's calls go to the same node each time ({@link ListenerDirectory}: the one that keeps its
 * running digest), to the next in its order when that one does not take the connection, and to
 * whichever node answers on the bus when no listener is in the map. With the file store the bytes
 * stay on one node; with a bucket any node continues.
 */
public final class RemoteResumableUploads implements ResumableUploads {
  private final Vertx vertx;
  private final HttpClient client;
  private final String proof;
  private final ListenerDirectory directory;

  public RemoteResumableUploads(Vertx vertx, MemberCredentials member) {
    this.vertx = vertx;
    this.proof = member.listenerProof();
    this.client = vertx.createHttpClient(ImageNodes.clientOptions(member));
    this.directory = new ListenerDirectory(vertx);
  }

  @Override
  public Future<UploadState> create(NewUpload request) {
    return call(
        null,
        HttpMethod.POST,
        ResumableUploadsProtocol.PATH,
        ResumableUploadsProtocol.encodeNew(request),
        null,
        null,
        ResumableUploadsProtocol::decodeState);
  }

  @Override
  public Future<UploadState> state(String id, Caller caller) {
    return call(
        id,
        HttpMethod.GET,
        ResumableUploadsProtocol.path(id),
        ResumableUploadsProtocol.encodeCaller(caller),
        null,
        null,
        ResumableUploadsProtocol::decodeState);
  }

  @Override
  public Future<Appended> append(String id, Chunk chunk, ReadStream<Buffer> body, Caller caller) {
    body.pause(); // nothing may flow before there is somewhere to send it
    return call(
        id,
        HttpMethod.PATCH,
        ResumableUploadsProtocol.path(id),
        ResumableUploadsProtocol.encodeChunk(chunk, caller),
        body,
        chunk.declaredLength(),
        ResumableUploadsProtocol::decodeAppended);
  }

  @Override
  public Future<Void> terminate(String id, Caller caller) {
    return call(
        id,
        HttpMethod.DELETE,
        ResumableUploadsProtocol.path(id),
        ResumableUploadsProtocol.encodeCaller(caller),
        null,
        null,
        (status, answer) -> {
          ResumableUploadsProtocol.decodeDone(status, answer);
          return null;
        });
  }

  /**
   * @param upload the upload the call is about (its node is chosen for it), or null for any node
   */
  private <T> Future<T> call(
      String upload,
      HttpMethod method,
      String path,
      String header,
      ReadStream<Buffer> body,
      Long length,
      BiFunction<Integer, Buffer, T> decode) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(method)
            .setURI(path)
            .putHeader(ImageBytesProtocol.PROOF_HEADER, proof)
            .putHeader(ResumableUploadsProtocol.CALL_HEADER, header);
    return nodesFor(upload)
        .compose(nodes -> connect(options, nodes, 0))
        .compose(request -> send(request, body, length))
        .compose(answer -> answer.body().map(bytes -> decode.apply(answer.statusCode(), bytes)))
        .recover(ImageNodes::lostOnTheWay);
  }

  private Future<List<HostPort>> nodesFor(String upload) {
    Future<List<HostPort>> ordered =
        upload == null ? Future.succeededFuture(List.of()) : directory.orderFor(upload);
    return ordered
        .recover(unknown -> Future.succeededFuture(List.of()))
        .compose(
            nodes ->
                nodes.isEmpty()
                    ? ImageNodes.listener(vertx).map(List::of)
                    : Future.succeededFuture(nodes));
  }

  /**
   * A request to the first node that takes the connection. Nothing was sent to a node that did not,
   * so the next may have the call.
   */
  private Future<HttpClientRequest> connect(RequestOptions options, List<HostPort> nodes, int at) {
    HostPort node = nodes.get(at);
    return client
        .request(new RequestOptions(options).setHost(node.host()).setPort(node.port()))
        .recover(
            refused ->
                at + 1 < nodes.size()
                    ? connect(options, nodes, at + 1)
                    : Future.failedFuture(refused));
  }

  private static Future<HttpClientResponse> send(
      HttpClientRequest request, ReadStream<Buffer> body, Long length) {
    if (body == null) {
      return request.send();
    }
    return ForwardedBody.send(request, body, length);
  }
}
