package io.discs.platform;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.spi.context.storage.ContextLocal;

/**
 * The id of the HTTP request a piece of work belongs to, carried along: kept on the Vert.x context
 * of the request (each request and each delivered message runs on a context of its own), added to
 * every event-bus message sent from such a context, and put back on the receiving side. So a
 * service's domain events, and the audit rows made of them, name the request that caused them.
 */
public final class RequestIds {
  public static final String HEADER = "discs-request-id";
  private static final ContextLocal<String> LOCAL = ContextLocal.registerLocal(String.class);

  private RequestIds() {}

  /**
   * Makes sure the context local exists before a Vert.x instance is built (instances built before
   * it have no room for it): call first, before building.
   */
  public static ContextLocal<String> register() {
    return LOCAL;
  }

  /** Called once per Vert.x instance, before services deploy. */
  public static void install(Vertx vertx) {
    vertx.eventBus().addOutboundInterceptor(RequestIds::outbound);
    vertx.eventBus().addInboundInterceptor(RequestIds::inbound);
  }

  /** For the request's first handler: the id belongs to the current (per-request) context. */
  public static void set(String id) {
    Context context = Vertx.currentContext();
    if (context != null) {
      context.putLocal(LOCAL, id);
    }
  }

  /** The id of the request this code runs for, or null. */
  public static String current() {
    Context context = Vertx.currentContext();
    return context == null ? null : context.getLocal(LOCAL);
  }

  private static void outbound(DeliveryContext<Object> delivery) {
    String id = current();
    if (id != null && !delivery.message().headers().contains(HEADER)) {
      delivery.message().headers().add(HEADER, id);
    }
    delivery.next();
  }

  private static void inbound(DeliveryContext<Object> delivery) {
    String id = delivery.message().headers().get(HEADER);
    Context context = Vertx.currentContext();
    if (context != null) {
      if (id != null) {
        context.putLocal(LOCAL, id);
      } else {
        context.removeLocal(LOCAL);
      }
    }
    delivery.next();
  }
}
