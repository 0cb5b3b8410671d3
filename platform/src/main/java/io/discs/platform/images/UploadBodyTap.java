package io.discs.platform.images;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Takes the bodies of uploads this process stores off an HTTP/1.1 connection before Vert.x sees
 * them (the gateway's, and an image node's internal listener's), so that their bytes reach the
 * upload's staging in the network's pooled memory instead of as Vert.x's per-chunk heap copies
 * (measured: a fifth less event-loop time per GiB, and 114-192 MiB of heap in use during 1 GiB
 * uploads instead of 2.5-3.9 GiB, mostly garbage). Sits in the pipeline just before Vert.x's
 * handler; everything else passes through untouched.
 *
 * <p>Which requests it takes is decided from the request line and headers alone, before any route
 * runs (the gateway's {@code UploadRequests}): a body can only be taken before its first chunk. The
 * request then carries {@link #HEADER} (a client's own is removed) so that its route finds the body
 * with {@link #body}. Vert.x still sees the request and, once the body has fully arrived, its end,
 * so the request and the connection's keep-alive go on as before. A body whose request is answered
 * before anyone read it (refused, or failed half-way) is given back as it arrives; one whose
 * connection closes is given back at once.
 */
public final class UploadBodyTap extends ChannelDuplexHandler {
  static final String HEADER = "discs-tapped-body";
  private static final String NAME = "discs-upload-body";

  private final Predicate<HttpRequest> taken;
  private final Map<String, TappedBody> unclaimed = new ConcurrentHashMap<>();

  /** Requests not yet answered, oldest first, with their taken body where there is one. */
  private final ArrayDeque<Optional<TappedBody>> unanswered = new ArrayDeque<>();

  private TappedBody arriving;
  private long requests;

  private UploadBodyTap(Predicate<HttpRequest> taken) {
    this.taken = taken;
  }

  /** For the server's connection handler; connections other than plain HTTP/1.1 are left alone. */
  public static void install(HttpConnection connection, Predicate<HttpRequest> taken) {
    if (connection instanceof ConnectionBase base) {
      ChannelPipeline pipeline = base.channel().pipeline();
      if (pipeline.get("httpDecoder") != null && pipeline.get("handler") != null) {
        pipeline.addBefore("handler", NAME, new UploadBodyTap(taken));
      }
    }
  }

  /**
   * The request's body: the one taken off the connection where there is one, else the request
   * itself. Call it once, from the route that consumes the body.
   */
  public static ReadStream<Buffer> body(HttpServerRequest request) {
    String id = request.getHeader(HEADER);
    if (id != null
        && request.connection() instanceof ConnectionBase base
        && base.channel().pipeline().get(NAME) instanceof UploadBodyTap tap) {
      TappedBody body = tap.unclaimed.remove(id);
      if (body != null) {
        body.claim(((HttpServerRequestInternal) request).context());
        return body;
      }
    }
    return request;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      began(ctx, request);
    } else if (arriving != null && msg instanceof HttpContent content) {
      if (!content.decoderResult().isSuccess()) {
        // Vert.x answers a malformed request; the body so far is nobody's.
        arriving.discard();
        arriving = null;
      } else {
        arriving.received(content.content());
        if (msg instanceof LastHttpContent) {
          arriving.ended();
          arriving = null;
          ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  private void began(ChannelHandlerContext ctx, HttpRequest request) {
    request.headers().remove(HEADER);
    TappedBody body = null;
    if (request.decoderResult().isSuccess() && taken.test(request)) {
      body = new TappedBody(ctx.channel());
      String id = Long.toString(++requests);
      unclaimed.put(id, body);
      request.headers().set(HEADER, id);
    }
    arriving = body;
    unanswered.add(Optional.ofNullable(body));
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof LastHttpContent && !informational(msg)) {
      // A request is answered: what its body still holds or brings is nobody's.
      Optional<TappedBody> answered = unanswered.poll();
      if (answered != null && answered.isPresent()) {
        TappedBody body = answered.get();
        unclaimed.values().remove(body);
        body.discard();
      }
    }
    ctx.write(msg, promise);
  }

  private static boolean informational(Object msg) {
    return msg instanceof HttpResponse response
        && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseAll();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseAll();
  }

  private void releaseAll() {
    for (Optional<TappedBody> body : unanswered) {
      body.ifPresent(TappedBody::lost);
    }
    unanswered.clear();
    unclaimed.clear();
    arriving = null;
  }
}
