package io.discs.gateway.images;

import io.discs.platform.error.HttpStatus;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.RoutingContext;
import io.vertx.serviceproxy.ServiceException;

/**
 * An upload's body that fails with 408 when no bytes arrive for {@code idleMs} while the consumer
 * wants more. Time spent paused by the consumer (the store is behind) does not count: only the
 * client's silence does.
 */
final class IdleWatchedStream implements ReadStream<Buffer> {
  private static final long CHECK_EVERY_MS = 500;

  private final Vertx vertx;
  private final ReadStream<Buffer> body;
  private final long idleMs;
  private Handler<Throwable> exceptionHandler;
  private long lastProgress = System.nanoTime();
  private boolean paused;
  private boolean over;
  private long timer = -1;

  IdleWatchedStream(Vertx vertx, ReadStream<Buffer> body, long idleMs) {
    this.vertx = vertx;
    this.body = body;
    this.idleMs = idleMs;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    if (handler == null) {
      body.handler(null);
      stopWatching();
      return this;
    }
    body.handler(
        chunk -> {
          lastProgress = System.nanoTime();
          handler.handle(chunk);
        });
    startWatching();
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    exceptionHandler = handler;
    body.exceptionHandler(
        failure -> {
          stopWatching();
          if (handler != null) {
            handler.handle(failure);
          }
        });
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> handler) {
    body.endHandler(
        v -> {
          stopWatching();
          if (handler != null) {
            handler.handle(null);
          }
        });
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    paused = true;
    body.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    paused = false;
    lastProgress = System.nanoTime();
    body.resume();
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    if (amount > 0) {
      paused = false;
      lastProgress = System.nanoTime();
    }
    body.fetch(amount);
    return this;
  }

  private void startWatching() {
    if (timer < 0 && !over) {
      timer = vertx.setPeriodic(CHECK_EVERY_MS, id -> check());
    }
  }

  private void stopWatching() {
    over = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void check() {
    if (over || paused) {
      if (paused) {
        lastProgress = System.nanoTime();
      }
      return;
    }
    if ((System.nanoTime() - lastProgress) / 1_000_000 < idleMs) {
      return;
    }
    stopWatching();
    Handler<Throwable> failed = exceptionHandler;
    body.handler(null);
    body.endHandler(null);
    if (failed != null) {
      failed.handle(idleError());
    }
  }

  /**
   * After an upload failed for silence: answer if the client still reads, then hang up, since what
   * it might still send can no longer be told apart from a next request.
   */
  static void hangUpIfIdle(Vertx vertx, RoutingContext ctx, Throwable failure) {
    if (failure instanceof ServiceException e && e.failureCode() == HttpStatus.REQUEST_TIMEOUT) {
      var connection = ctx.request().connection();
      ctx.response().putHeader("Connection", "close");
      ctx.response().endHandler(v -> connection.close());
      // Should the answer never finish (the client stopped reading too): close anyway.
      vertx.setTimer(2_000, id -> connection.close());
    }
  }

  ServiceException idleError() {
    return new ServiceException(
        HttpStatus.REQUEST_TIMEOUT,
        "the upload sent nothing for " + idleMs / 1000 + " s (DISCS_UPLOAD_IDLE_SECONDS): closed");
  }
}
