package io.discs.platform.targets;

import io.discs.platform.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The target nodes this process has heard from ({@link NodePresence} on {@link
 * Addresses#TARGET_NODES}), and what that says of a node: still serving, restarted since, or gone
 * for longer than a lease. A node not heard of yet gets one lease from this registry's start, so a
 * process that just started does not take every node for lost.
 */
public final class TargetNodes {
  /** What the registry can say of a session's node. */
  public enum Standing {
    SERVING,
    RESTARTED,
    GONE
  }

  /**
   * @param restartedAt when this node was first heard with its present incarnation after another,
   *     or null when this registry knew no other
   */
  private record Seen(NodePresence presence, Instant at, Instant restartedAt) {}

  /** What this registry knows of one node, for people to read. */
  public record NodeView(
      NodePresence presence, Standing standing, Instant lastHeardAt, Instant restartedAt) {}

  /**
   * How long a placement counts on top of what its node says. A node's count may have been taken
   * before the target of a placement existed (the presence was on its way, or the target still
   * being made): a presence forgets only placements older than this. Counting one twice for a few
   * seconds only leans the next placement toward another node; forgetting it piled sessions up.
   */
  static final Duration PLACEMENT_COUNTS_FOR = Duration.ofSeconds(5);

  private final Map<String, Seen> nodes = new ConcurrentHashMap<>();

  /** When sessions were placed on a node, the ones its count may not include yet. */
  private final Map<String, List<Instant>> placements = new ConcurrentHashMap<>();

  private final Duration lease;
  private final Clock clock;
  private final Instant since;
  private MessageConsumer<JsonObject> consumer;

  public TargetNodes(Duration lease, Clock clock) {
    this.lease = lease;
    this.clock = clock;
    this.since = clock.instant();
  }

  /** A registry fed by the bus until {@link #close()}. */
  public static TargetNodes listen(Vertx vertx, Duration lease) {
    TargetNodes nodes = new TargetNodes(lease, Clock.systemUTC());
    nodes.consumer =
        vertx
            .eventBus()
            .<JsonObject>consumer(
                Addresses.TARGET_NODES,
                message -> {
                  NodePresence presence = NodePresence.fromJson(message.body());
                  if (presence != null) {
                    nodes.heard(presence);
                  }
                });
    return nodes;
  }

  public void heard(NodePresence presence) {
    Instant now = clock.instant();
    nodes.merge(
        presence.node(),
        new Seen(presence, now, null),
        (earlier, latest) ->
            new Seen(
                presence,
                now,
                earlier.presence().incarnation().equals(presence.incarnation())
                    ? earlier.restartedAt()
                    : now));
    Instant horizon = now.minus(PLACEMENT_COUNTS_FOR);
    placements.computeIfPresent(
        presence.node(),
        (node, times) -> {
          List<Instant> recent = times.stream().filter(at -> at.isAfter(horizon)).toList();
          return recent.isEmpty() ? null : recent;
        });
  }

  /** Nodes heard from within a lease, by name. */
  public List<NodePresence> live() {
    Instant horizon = clock.instant().minus(lease);
    return nodes.values().stream()
        .filter(seen -> seen.at().isAfter(horizon))
        .map(Seen::presence)
        .sorted(Comparator.comparing(NodePresence::node))
        .toList();
  }

  public Optional<NodePresence> live(String node) {
    return live().stream().filter(p -> p.node().equals(node)).findFirst();
  }

  /**
   * The live node with the fewest targets, counting those placed here that its count may not
   * include yet, and counts this placement; empty when no node has been heard from.
   */
  public Optional<NodePresence> place() {
    Optional<NodePresence> chosen =
        live().stream()
            .min(
                Comparator.comparingLong(
                        (NodePresence p) ->
                            p.targets() + placements.getOrDefault(p.node(), List.of()).size())
                    .thenComparing(NodePresence::node));
    chosen.ifPresent(this::placed);
    return chosen;
  }

  /** A node chosen by name (an operator's pin), if live, counted like {@link #place()}'s choice. */
  public Optional<NodePresence> place(String node) {
    Optional<NodePresence> chosen = live(node);
    chosen.ifPresent(this::placed);
    return chosen;
  }

  private void placed(NodePresence presence) {
    Instant now = clock.instant();
    placements.merge(
        presence.node(),
        List.of(now),
        (earlier, added) -> Stream.concat(earlier.stream(), added.stream()).toList());
  }

  /** Every node heard from since this registry started, live or not, by name. */
  public List<NodeView> known() {
    Instant horizon = clock.instant().minus(lease);
    return nodes.values().stream()
        .sorted(Comparator.comparing((Seen seen) -> seen.presence().node()))
        .map(
            seen ->
                new NodeView(
                    seen.presence(),
                    seen.at().isAfter(horizon) ? Standing.SERVING : Standing.GONE,
                    seen.at(),
                    seen.restartedAt()))
        .toList();
  }

  /** How a session's node stands, given the incarnation the session's target was made on. */
  public Standing standing(String node, String incarnation) {
    Seen seen = nodes.get(node);
    Instant now = clock.instant();
    if (seen != null && !seen.presence().incarnation().equals(incarnation)) {
      return Standing.RESTARTED;
    }
    Instant last = seen == null ? since : seen.at();
    return last.plus(lease).isAfter(now) ? Standing.SERVING : Standing.GONE;
  }

  public Future<Void> close() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
