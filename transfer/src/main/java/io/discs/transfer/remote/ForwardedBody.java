package io.discs.transfer.remote;

import io.discs.platform.error.DomainErrors;
import io.discs.transfer.tap.LentBuffer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.streams.ReadStream;
import io.vertx.core.streams.WriteStream;
import io.vertx.serviceproxy.ServiceException;

/**
 * An upload's body on its way to an image node, as the body of a call to its internal listener.
 * Unlike {@link HttpClientRequest#send(ReadStream)}, a body that fails (the client gone, silent too
 * long, its request answered) resets the call instead of ending it: ended, a chunked call would
 * look to the image node like a whole upload, and it would store the part it got. The outcome is
 * then the body's failure (a silent client's 408), not the reset's. Chunks lent by {@code
 * UploadBodyTap} go out from the network's pooled memory and are given back once written.
 */
final class ForwardedBody implements WriteStream<Buffer> {
  private final HttpClientRequest call;

  /** Set when a write to the image node failed: then the call broke, not the client's body. */
  private boolean writeFailed;

  private ForwardedBody(HttpClientRequest call) {
    this.call = call;
  }

  /**
   * Sends {@code body} ({@code length} bytes, or chunked when unknown) as {@code call}'s body; the
   * image node's answer, or the failure that cut the call short.
   */
  static Future<HttpClientResponse> send(
      HttpClientRequest call, ReadStream<Buffer> body, Long length) {
    if (length != null) {
      call.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(length));
    } else {
      call.setChunked(true);
    }
    ForwardedBody forwarded = new ForwardedBody(call);
    Promise<HttpClientResponse> answer = Promise.promise();
    body.pipe()
        .endOnFailure(false)
        .to(forwarded)
        .onFailure(
            cause -> {
              // Before the reset, whose own failure would otherwise be the answer.
              answer.tryFail(forwarded.writeFailed ? cause : clientFailure(cause));
              call.reset(0, cause);
            });
    call.response().onSuccess(answer::tryComplete).onFailure(answer::tryFail);
    return answer.future();
  }

  /**
   * The client's side of the body failed: its own answer where it has one (408 for silence), else
   * what a local upload answers a client that stopped sending.
   */
  private static Throwable clientFailure(Throwable cause) {
    return cause instanceof ServiceException ? cause : DomainErrors.uploadCutShort();
  }

  @Override
  public Future<Void> write(Buffer data) {
    Future<Void> written;
    try {
      written = call.write(data);
    } catch (RuntimeException refused) {
      LentBuffer.giveBack(data);
      throw refused;
    }
    // Netty wrote the chunk's bytes to the socket, or never will: its memory is free either way.
    return written.andThen(
        done -> {
          writeFailed |= done.failed();
          LentBuffer.giveBack(data);
        });
  }

  @Override
  public Future<Void> end() {
    return call.end();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    call.exceptionHandler(handler);
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    call.setWriteQueueMaxSize(maxSize);
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return call.writeQueueFull();
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    call.drainHandler(handler);
    return this;
  }
}
