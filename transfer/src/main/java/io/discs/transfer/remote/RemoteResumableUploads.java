package io.discs.transfer.remote;

import io.discs.platform.Caller;
import io.discs.platform.cluster.MemberCredentials;
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
import java.util.function.BiFunction;

/**
 * {@link ResumableUploads} of an image node on another host, through its internal listener: a chunk
 * is streamed there with back-pressure, as a single upload is ({@link RemoteImageBlobs}). The bytes
 * of an upload stay on the node that holds them; with one image node that is always the one found.
 */
public final class RemoteResumableUploads implements ResumableUploads {
  private final Vertx vertx;
  private final HttpClient client;
  private final String proof;

  public RemoteResumableUploads(Vertx vertx, MemberCredentials member) {
    this.vertx = vertx;
    this.proof = member.listenerProof();
    this.client = vertx.createHttpClient(ImageNodes.clientOptions(member));
  }

  @Override
  public Future<UploadState> create(NewUpload request) {
    return call(
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

  private <T> Future<T> call(
      HttpMethod method,
      String path,
      String header,
      ReadStream<Buffer> body,
      Long length,
      BiFunction<Integer, Buffer, T> decode) {
    return ImageNodes.listener(vertx)
        .compose(
            node ->
                client.request(
                    new RequestOptions()
                        .setMethod(method)
                        .setHost(node.host())
                        .setPort(node.port())
                        .setURI(path)
                        .putHeader(ImageBytesProtocol.PROOF_HEADER, proof)
                        .putHeader(ResumableUploadsProtocol.CALL_HEADER, header)))
        .compose(request -> send(request, body, length))
        .compose(answer -> answer.body().map(bytes -> decode.apply(answer.statusCode(), bytes)))
        .recover(ImageNodes::lostOnTheWay);
  }

  private static Future<HttpClientResponse> send(
      HttpClientRequest request, ReadStream<Buffer> body, Long length) {
    if (body == null) {
      return request.send();
    }
    return ForwardedBody.send(request, body, length);
  }
}
