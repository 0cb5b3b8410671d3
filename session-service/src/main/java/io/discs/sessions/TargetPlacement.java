package io.discs.sessions;

import io.discs.platform.Caller;
import io.discs.platform.Role;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.targets.Connection;
import io.discs.platform.targets.FetchProgress;
import io.discs.platform.targets.NodePresence;
import io.discs.platform.targets.TargetNodes;
import io.discs.platform.targets.TargetService;
import io.vertx.core.Future;
import io.vertx.serviceproxy.ServiceException;
import java.util.List;
import java.util.function.Function;

/**
 * Which target node serves a new session, and who is connected across all of them: the one place
 * that knows there are several nodes, each reached through its own address.
 */
final class TargetPlacement {
  private final TargetService anyNode;
  private final TargetNodes nodes;
  private final Function<String, TargetService> nodeTargets;
  private final Function<String, TargetService> nodeQueries;
  private final Function<String, TargetService> nodeFetches;

  /**
   * A node a session is placed on: its calls that make targets, its long fetch, and who it is (null
   * while no node has been heard from and the shared address serves).
   */
  record Placed(TargetService targets, TargetService fetches, NodePresence node) {}

  private final TargetService anyNodeFetches;

  /**
   * @param anyNode whichever target-service answers the shared address (while no node has been
   *     heard from yet)
   * @param nodeTargets a node's own address, for calls that make or remove targets
   * @param nodeQueries a node's own address, for quick questions (with a short timeout)
   * @param nodeFetches a node's own address, for bringing an image onto it (a long timeout)
   * @param anyNodeFetches the shared address with that long timeout
   */
  TargetPlacement(
      TargetService anyNode,
      TargetService anyNodeFetches,
      TargetNodes nodes,
      Function<String, TargetService> nodeTargets,
      Function<String, TargetService> nodeQueries,
      Function<String, TargetService> nodeFetches) {
    this.nodeFetches = nodeFetches;
    this.anyNodeFetches = anyNodeFetches;
    this.anyNode = anyNode;
    this.nodes = nodes;
    this.nodeTargets = nodeTargets;
    this.nodeQueries = nodeQueries;
  }

  /** Refuses a pin before anything is stored: only operators and admins, only to a live node. */
  void check(String pinned, Caller caller) {
    if (pinned == null) {
      return;
    }
    if (!caller.hasRole(Role.OPERATOR) && !caller.hasRole(Role.ADMIN)) {
      throw DomainErrors.forbidden("only operators and admins choose the target node");
    }
    if (nodes.live(pinned).isEmpty()) {
      throw notLive(pinned);
    }
  }

  /**
   * The node a new session's target is made on, counted toward it: the pinned one (it must still be
   * live), else the live one with the fewest targets, else the shared address.
   */
  Future<Placed> place(String pinned) {
    if (pinned == null) {
      return Future.succeededFuture(
          nodes.place().map(this::placed).orElse(new Placed(anyNode, anyNodeFetches, null)));
    }
    return nodes
        .place(pinned)
        .map(node -> Future.succeededFuture(placed(node)))
        .orElseGet(() -> Future.failedFuture(notLive(pinned)));
  }

  private Placed placed(NodePresence node) {
    return new Placed(nodeTargets.apply(node.node()), nodeFetches.apply(node.node()), node);
  }

  /**
   * How far the image's fetch got on whichever live node is fetching it (asked of each, as
   * connections are), or null.
   */
  Future<FetchProgress> fetchProgress(String imageId) {
    List<Future<FetchProgress>> answers =
        asked().stream()
            .map(
                service ->
                    service.fetchProgress(imageId).recover(failure -> Future.succeededFuture(null)))
            .toList();
    return Future.all(answers)
        .map(
            all ->
                answers.stream()
                    .map(Future::result)
                    .filter(java.util.Objects::nonNull)
                    .findFirst()
                    .orElse(null));
  }

  private List<TargetService> asked() {
    return nodes.live().isEmpty()
        ? List.of(anyNode)
        : nodes.live().stream().map(node -> nodeQueries.apply(node.node())).toList();
  }

  /**
   * Who is connected, asked of every live node (each knows only its own backend). A listing without
   * connections is better than none when a node does not answer.
   */
  Future<List<Connection>> connections() {
    List<Future<List<Connection>>> answers =
        asked().stream()
            .map(
                service ->
                    service
                        .connections()
                        .recover(failure -> Future.succeededFuture(List.<Connection>of())))
            .toList();
    return Future.all(answers)
        .map(all -> answers.stream().flatMap(answer -> answer.result().stream()).toList());
  }

  private ServiceException notLive(String pinned) {
    return DomainErrors.conflict(
        "target node "
            + pinned
            + " is not live; live: "
            + nodes.live().stream().map(NodePresence::node).toList());
  }
}
