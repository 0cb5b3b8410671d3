package io.discs.transfer.tap;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the tap assumes of Vert.x's internals, checked against the Vert.x on the class path: after
 * an upgrade that renames the HTTP/1.1 pipeline's handlers or changes how a request's context
 * dispatches, this fails here, by name, rather than uploads quietly taking the slow path.
 */
class VertxPipelineTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void anHttp1ConnectionHasThePipelineTheTapSitsIn() throws Exception {
    AtomicBoolean installed = new AtomicBoolean();
    List<Boolean> lent = new CopyOnWriteArrayList<>();
    AtomicInteger received = new AtomicInteger();
    AtomicBoolean onRequestContext = new AtomicBoolean(true);
    LentBytes lentBytes = new LentBytes();
    HttpServer server =
        vertx
            .createHttpServer()
            .connectionHandler(
                connection ->
                    installed.set(
                        UploadBodyTap.install(
                            connection, head -> head.method().equals("PUT"), lentBytes)))
            .requestHandler(
                request -> {
                  io.vertx.core.Context context = Vertx.currentContext();
                  ReadStream<Buffer> body = UploadBodyTap.body(request);
                  body.handler(
                      chunk -> {
                        lent.add(chunk instanceof LentBuffer);
                        if (Vertx.currentContext() != context) {
                          onRequestContext.set(false);
                        }
                        received.addAndGet(chunk.length());
                        LentBuffer.giveBack(chunk);
                      });
                  body.endHandler(end -> request.response().end("ok"));
                })
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);
    HttpClient client = vertx.createHttpClient();
    byte[] bytes = new byte[3 << 20];

    String answer =
        client
            .request(
                new RequestOptions()
                    .setMethod(HttpMethod.PUT)
                    .setHost("127.0.0.1")
                    .setPort(server.actualPort())
                    .setURI("/upload"))
            .compose(request -> request.send(Buffer.buffer(bytes)))
            .compose(response -> response.body())
            .map(Buffer::toString)
            .await(10, TimeUnit.SECONDS);

    assertThat(installed)
        .as("the tap found Vert.x's '%s' and '%s' handlers", VertxPipeline.DECODER, "handler")
        .isTrue();
    assertThat(answer).isEqualTo("ok");
    assertThat(received).hasValue(bytes.length);
    assertThat(lent).as("every chunk was lent from the pool").isNotEmpty().containsOnly(true);
    assertThat(onRequestContext).as("chunks arrive on the request's context").isTrue();
    assertThat(lentBytes.total()).isEqualTo(bytes.length);
    assertThat(lentBytes.outstanding()).isZero();
  }

  @Test
  void aRequestTheTapDoesNotTakeIsReadAsVertxDeliversIt() throws Exception {
    List<Boolean> lent = new CopyOnWriteArrayList<>();
    LentBytes lentBytes = new LentBytes();
    HttpServer server =
        vertx
            .createHttpServer()
            .connectionHandler(
                connection -> UploadBodyTap.install(connection, head -> false, lentBytes))
            .requestHandler(
                request -> {
                  ReadStream<Buffer> body = UploadBodyTap.body(request);
                  assertThat(body).isSameAs(request);
                  body.handler(chunk -> lent.add(chunk instanceof LentBuffer));
                  body.endHandler(end -> request.response().end("ok"));
                })
            .listen(0, "127.0.0.1")
            .await(10, TimeUnit.SECONDS);

    Future<String> answer =
        vertx
            .createHttpClient()
            .request(HttpMethod.POST, server.actualPort(), "127.0.0.1", "/other")
            .compose(request -> request.send(Buffer.buffer(new byte[100_000])))
            .compose(response -> response.body())
            .map(Buffer::toString);

    assertThat(answer.await(10, TimeUnit.SECONDS)).isEqualTo("ok");
    assertThat(lent).isNotEmpty().containsOnly(false);
    assertThat(lentBytes.total()).isZero();
  }
}
