package io.discs.gateway;

import io.discs.platform.config.Cidr;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The address a request comes from, for the login throttle and the audit log: the socket's peer,
 * or, when that peer is one of {@code DISCS_TRUSTED_PROXIES}, the nearest hop in {@code Forwarded}
 * (else {@code X-Forwarded-For}) that is not itself a trusted proxy. Anyone else's forwarding
 * headers are ignored: they are the client's own words.
 */
public final class ClientAddresses {
  static final String KEY = "discs.clientAddress";

  private final List<Cidr> trusted;

  ClientAddresses(List<Cidr> trusted) {
    this.trusted = List.copyOf(trusted);
  }

  /** First on every request. */
  void resolve(RoutingContext ctx) {
    String address = of(ctx.request());
    if (address != null) {
      ctx.put(KEY, address);
    }
    ctx.next();
  }

  String of(HttpServerRequest request) {
    String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    if (peer == null || !isTrusted(peer)) {
      return peer;
    }
    List<String> hops = forwarded(request);
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = literal(hops.get(i));
      if (hop == null) {
        // An obfuscated or garbled hop: nothing before it can be believed.
        return peer;
      }
      if (!isTrusted(hop)) {
        return hop;
      }
    }
    return peer;
  }

  private boolean isTrusted(String address) {
    return trusted.stream().anyMatch(block -> block.contains(address));
  }

  /** The {@code for=} hops of every Forwarded header in order, else X-Forwarded-For's. */
  private static List<String> forwarded(HttpServerRequest request) {
    List<String> hops = new ArrayList<>();
    for (String header : request.headers().getAll("Forwarded")) {
      for (String element : header.split(",")) {
        for (String pair : element.split(";")) {
          String[] kv = pair.trim().split("=", 2);
          if (kv.length == 2 && kv[0].trim().toLowerCase(Locale.ROOT).equals("for")) {
            hops.add(kv[1].trim());
          }
        }
      }
    }
    if (!hops.isEmpty()) {
      return hops;
    }
    for (String header : request.headers().getAll("X-Forwarded-For")) {
      for (String hop : header.split(",")) {
        hops.add(hop.trim());
      }
    }
    return hops;
  }

  /** A hop as a bare address literal ({@code "[2001:db8::1]:4711"} → {@code 2001:db8::1}). */
  static String literal(String hop) {
    String h = hop.replace("\"", "").trim();
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      h = end < 0 ? "" : h.substring(1, end);
    } else if (h.indexOf(':') == h.lastIndexOf(':') && h.contains(":")) {
      h = h.substring(0, h.indexOf(':'));
    }
    return h.length() <= 45 && Cidr.isLiteral(h) ? h : null;
  }
}
