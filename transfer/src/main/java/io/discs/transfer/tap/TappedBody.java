package io.discs.transfer.tap;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * One upload's body as {@link UploadBodyTap} takes it off the connection: chunks in the network's
 * pooled memory, lent ({@link LentBuffer}) to whoever reads the stream, which gives each back once
 * stored. Until the route claims it, chunks wait here, and the socket stops reading once {@link
 * #PAUSE_AT_BYTES} wait. All state is the connection's event loop's (calls from another thread are
 * handed to it); handlers are called on the request's context, as Vert.x calls a request's own.
 */
final class TappedBody implements ReadStream<Buffer> {
  /** Waiting bytes at which the socket stops reading; it reads again below half of it. */
  static final long PAUSE_AT_BYTES = 4 << 20;

  private final Channel channel;
  private final LentBytes lentBytes;
  private final ArrayDeque<VertxPipeline.Pooled> waiting = new ArrayDeque<>();
  private long waitingBytes;
  private boolean readingStopped;

  private VertxPipeline.Dispatcher context;
  private Handler<Buffer> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand = Long.MAX_VALUE;

  private boolean ended;
  private boolean endDelivered;
  private Throwable failure;

  /** Set once the request is answered or the connection is gone: chunks are given back at once. */
  private boolean discarding;

  TappedBody(Channel channel, LentBytes lentBytes) {
    this.channel = channel;
    this.lentBytes = lentBytes;
  }

  /** From now on, chunks go to this stream's handler, on {@code requestContext}. */
  void claim(VertxPipeline.Dispatcher requestContext) {
    onLoop(
        () -> {
          context = requestContext;
          deliver();
        });
  }

  // Called by the tap, on the event loop.

  void received(ByteBuf chunk) {
    if (discarding) {
      chunk.release();
      return;
    }
    VertxPipeline.Pooled lent = VertxPipeline.lend(chunk, lentBytes);
    waiting.add(lent);
    waitingBytes += lent.length();
    if (waitingBytes >= PAUSE_AT_BYTES && !readingStopped) {
      readingStopped = true;
      channel.config().setAutoRead(false);
    }
    deliver();
  }

  void ended() {
    ended = true;
    deliver();
  }

  /** The connection is gone: whatever was not read yet never will be. */
  void lost() {
    dropped("the connection closed before the upload was read whole");
  }

  /** The request is answered: nobody reads what is left, and whatever still comes is given back. */
  void discard() {
    dropped("the upload's request was answered before its body was read whole");
  }

  private void dropped(String why) {
    discarding = true;
    VertxPipeline.Pooled chunk;
    while ((chunk = waiting.poll()) != null) {
      chunk.giveBack();
    }
    waitingBytes = 0;
    readAgainIfStopped();
    // A consumer still reading must not take what it got for the whole body.
    if (!endDelivered && failure == null) {
      failure = new IOException(why);
      if (context != null && exceptionHandler != null) {
        context.emit(failure, exceptionHandler);
      }
    }
  }

  private void deliver() {
    if (context == null) {
      return;
    }
    while (demand > 0 && handler != null && !discarding && !waiting.isEmpty()) {
      VertxPipeline.Pooled chunk = waiting.poll();
      waitingBytes -= chunk.length();
      if (demand != Long.MAX_VALUE) {
        demand--;
      }
      context.emit(chunk, handler);
    }
    if (waitingBytes < PAUSE_AT_BYTES / 2) {
      readAgainIfStopped();
    }
    if (ended && !discarding && waiting.isEmpty() && !endDelivered && handler != null) {
      endDelivered = true;
      if (endHandler != null) {
        context.emit(null, endHandler);
      }
    }
  }

  private void readAgainIfStopped() {
    if (readingStopped) {
      readingStopped = false;
      channel.config().setAutoRead(true);
    }
  }

  private void onLoop(Runnable action) {
    if (channel.eventLoop().inEventLoop()) {
      action.run();
    } else {
      channel.eventLoop().execute(action);
    }
  }

  // ReadStream, for the route's consumer.

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    onLoop(
        () -> {
          exceptionHandler = handler;
          // A connection lost before the consumer came still fails it.
          if (failure != null && handler != null && context != null) {
            context.emit(failure, handler);
          }
        });
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    onLoop(
        () -> {
          this.handler = handler;
          deliver();
        });
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    onLoop(() -> demand = 0);
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    onLoop(
        () -> {
          demand = demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
          deliver();
        });
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    onLoop(
        () -> {
          this.endHandler = endHandler;
          deliver();
        });
    return this;
  }
}
