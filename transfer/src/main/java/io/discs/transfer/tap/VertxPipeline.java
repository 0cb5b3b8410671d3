package io.discs.transfer.tap;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.impl.BufferImpl;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.net.impl.ConnectionBase;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one place that leans on Vert.x's implementation, and what happens when it is not there.
 * Vert.x has no public way to see an HTTP/1.1 connection's Netty pipeline, to call a handler on a
 * request's context as its own events are, or to make a {@link io.vertx.core.buffer.Buffer} of
 * pooled memory without copying it; all three are here, by the names Vert.x 5.0 gives them ({@code
 * VertxPipelineTest} fails when an upgrade changes them). Without the pipeline the tap is not
 * installed and routes read the request as Vert.x delivers it: slower, never wrong.
 */
final class VertxPipeline {
  /** Vert.x's HTTP/1.x decoder and its own handler: the tap sits between them. */
  static final String DECODER = "httpDecoder";

  static final String VERTX_HANDLER = "handler";

  private VertxPipeline() {}

  /** The connection's pipeline, when it is an HTTP/1.x one laid out as the tap expects. */
  static Optional<ChannelPipeline> http1(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      ChannelPipeline pipeline = base.channel().pipeline();
      if (pipeline.get(DECODER) != null && pipeline.get(VERTX_HANDLER) != null) {
        return Optional.of(pipeline);
      }
    }
    return Optional.empty();
  }

  /** Calls handlers on a request's context the way Vert.x calls the request's own. */
  interface Dispatcher {
    <T> void emit(T event, Handler<T> handler);
  }

  /** A lent chunk: takes over one reference to {@code pooled}. */
  static Pooled lend(ByteBuf pooled, LentBytes counter) {
    return new Pooled(pooled, counter);
  }

  /**
   * A subclass of Vert.x's own buffer, so that whatever takes a buffer (an HTTP client's write, a
   * pipe) takes it as it is.
   */
  static final class Pooled extends BufferImpl implements LentBuffer {
    private final ByteBuf pooled;
    private final int length;
    private final LentBytes counter;
    private final AtomicBoolean givenBack = new AtomicBoolean();

    private Pooled(ByteBuf pooled, LentBytes counter) {
      super(pooled);
      this.pooled = pooled;
      this.length = pooled.readableBytes();
      this.counter = counter;
      counter.lent(length);
    }

    @Override
    public ByteBuffer bytes() {
      if (givenBack.get() || pooled.refCnt() == 0) {
        // Its memory may already hold another connection's bytes: reading it would store them.
        throw new IllegalStateException(
            "an upload chunk's pooled memory was taken back before it was read");
      }
      return pooled.nioBuffer(pooled.readerIndex(), length);
    }

    @Override
    public void giveBack() {
      if (givenBack.compareAndSet(false, true)) {
        counter.givenBack(length);
        if (pooled.refCnt() > 0) {
          pooled.release();
        } else {
          counter.releasedElsewhere();
        }
      }
    }
  }

  static Dispatcher dispatcherOf(HttpServerRequest request) {
    if (request instanceof HttpServerRequestInternal internal) {
      ContextInternal context = internal.context();
      return context::emit;
    }
    Context context = Vertx.currentContext();
    return new Dispatcher() {
      @Override
      public <T> void emit(T event, Handler<T> handler) {
        context.runOnContext(v -> handler.handle(event));
      }
    };
  }
}
