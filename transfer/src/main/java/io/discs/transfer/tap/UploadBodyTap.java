package io.discs.transfer.tap;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Takes the bodies of uploads this process stores off an HTTP/1.1 connection before Vert.x sees
 * them (the gateway's, and an image node's internal listener's), so that their bytes reach the
 * upload's staging in the network's pooled memory instead of as Vert.x's per-chunk heap copies (a
 * GiB of garbage per GiB uploaded; {@code perf/RESULTS.md} has the measurements). Sits in the
 * pipeline just before Vert.x's handler; everything else passes through untouched. Where Vert.x's
 * pipeline is not as {@link VertxPipeline} expects, it is not installed and nothing changes.
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

  private final Predicate<RequestHead> taken;
  private final LentBytes lentBytes;
  private final Map<String, TappedBody> unclaimed = new ConcurrentHashMap<>();

  /** Requests not yet answered, oldest first, with their taken body where there is one. */
  private final ArrayDeque<Optional<TappedBody>> unanswered = new ArrayDeque<>();

  private TappedBody arriving;
  private long requests;

  private UploadBodyTap(Predicate<RequestHead> taken, LentBytes lentBytes) {
    this.taken = taken;
    this.lentBytes = lentBytes;
  }

  /**
   * For the server's connection handler; connections other than plain HTTP/1.1 are left alone.
   *
   * @return whether the tap is in place
   */
  public static boolean install(
      HttpConnection connection, Predicate<RequestHead> taken, LentBytes lentBytes) {
    return VertxPipeline.http1(connection)
        .map(
            pipeline -> {
              pipeline.addBefore(
                  VertxPipeline.VERTX_HANDLER, NAME, new UploadBodyTap(taken, lentBytes));
              return true;
            })
        .orElse(false);
  }

  /**
   * The request's body: the one taken off the connection where there is one, else the request
   * itself. Call it once, from the route that consumes the body.
   */
  public static ReadStream<Buffer> body(HttpServerRequest request) {
    String id = request.getHeader(HEADER);
    if (id != null) {
      TappedBody body =
          VertxPipeline.http1(request.connection())
              .map(pipeline -> pipeline.get(NAME))
              .filter(UploadBodyTap.class::isInstance)
              .map(tap -> ((UploadBodyTap) tap).unclaimed.remove(id))
              .orElse(null);
      if (body != null) {
        body.claim(VertxPipeline.dispatcherOf(request));
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
    if (request.decoderResult().isSuccess() && taken.test(head(request))) {
      body = new TappedBody(ctx.channel(), lentBytes);
      String id = Long.toString(++requests);
      unclaimed.put(id, body);
      request.headers().set(HEADER, id);
    }
    arriving = body;
    unanswered.add(Optional.ofNullable(body));
  }

  private static RequestHead head(HttpRequest request) {
    String uri = request.uri();
    int query = uri.indexOf('?');
    String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
    return new RequestHead(
        request.method().name(),
        query < 0 ? uri : uri.substring(0, query),
        type == null ? null : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT));
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
