package io.discs.transfer.remote;

import io.discs.platform.Addresses;
import io.discs.platform.config.HostPort;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The live internal listeners, in a cluster map whose entries lapse unless their node renews them,
 * and for a key (a resumable upload's id) the order in which to try them: highest random weight
 * (rendezvous hashing), so every gateway sends an upload's requests to the same image node, which
 * keeps its running digest in memory, and to the next one only when that node is gone.
 */
public final class ListenerDirectory {
  /** How long an entry lives without renewal: a dead node is out of the order this soon. */
  static final Duration ENTRY_LIFETIME = Duration.ofSeconds(12);

  /** How often a live node renews its entry. */
  public static final Duration RENEWAL = Duration.ofSeconds(4);

  /** How long a gateway reuses what it read of the map. */
  private static final long CACHE_MS = 1_000;

  private final Vertx vertx;
  private List<HostPort> cached = List.of();
  private long cachedAt = Long.MIN_VALUE;

  public ListenerDirectory(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Says (again) that {@code listener} is alive, for {@link #ENTRY_LIFETIME}. */
  public static Future<Void> announce(Vertx vertx, HostPort listener) {
    return map(vertx)
        .compose(
            map -> map.put(listener.toString(), listener.toString(), ENTRY_LIFETIME.toMillis()));
  }

  /** Takes {@code listener} out at once (a node that stops). */
  public static Future<Void> withdraw(Vertx vertx, HostPort listener) {
    return map(vertx).compose(map -> map.remove(listener.toString())).mapEmpty();
  }

  /** The live listeners in the order to try them for {@code key}; empty when none is known. */
  public Future<List<HostPort>> orderFor(String key) {
    return live().map(nodes -> order(key, nodes));
  }

  /** The image nodes' listeners that renewed their entries lately, in no particular order. */
  public Future<List<HostPort>> live() {
    long now = System.nanoTime() / 1_000_000;
    if (now - cachedAt < CACHE_MS && !cached.isEmpty()) {
      return Future.succeededFuture(cached);
    }
    return map(vertx)
        .compose(AsyncMap::entries)
        .map(
            entries -> {
              List<HostPort> nodes = entries.keySet().stream().map(HostPort::parse).toList();
              cached = nodes;
              cachedAt = now;
              return nodes;
            });
  }

  static long weight(String key, HostPort node) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((key + "|" + node).getBytes(StandardCharsets.UTF_8));
      long weight = 0;
      for (int i = 0; i < Long.BYTES; i++) {
        weight = (weight << 8) | (digest[i] & 0xff);
      }
      return weight;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Future<AsyncMap<String, String>> map(Vertx vertx) {
    return vertx.sharedData().getAsyncMap(Addresses.IMAGE_LISTENERS_MAP);
  }

  /** The order in which to try {@code nodes} for {@code key}: the same for every caller. */
  public static List<HostPort> order(String key, Collection<HostPort> nodes) {
    return nodes.stream()
        .sorted(Comparator.comparingLong((HostPort node) -> weight(key, node)).reversed())
        .toList();
  }
}
