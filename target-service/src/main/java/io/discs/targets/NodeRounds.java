package io.discs.targets;

import io.discs.platform.Addresses;
import io.discs.platform.targets.NodePresence;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A target node's periodic work: a reconciliation pass every {@code reconcileMs}, and its presence
 * (name, start, portal, how many targets) announced on the bus several times per session lease, so
 * that session-service places sessions on live nodes and notices a lost one within a lease.
 */
final class NodeRounds {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRounds.class);

  private final Vertx vertx;
  private final TargetNode node;
  private final String portal;
  private final AtomicLong active;
  private long reconcileTimer = -1;
  private long presenceTimer = -1;

  /**
   * @param active how many targets this node wants, kept current by each round (a gauge reads it)
   */
  NodeRounds(Vertx vertx, TargetNode node, String portal, AtomicLong active) {
    this.vertx = vertx;
    this.node = node;
    this.portal = portal;
    this.active = active;
  }

  /** Runs a pass now, then both rounds on their periods. */
  void start(long reconcileMs, long presenceMs) {
    reconcile();
    reconcileTimer = vertx.setPeriodic(reconcileMs, id -> reconcile());
    presenceTimer = vertx.setPeriodic(presenceMs, id -> countAndAnnounce());
  }

  void stop() {
    vertx.cancelTimer(reconcileTimer);
    vertx.cancelTimer(presenceTimer);
  }

  private void reconcile() {
    node.reconciler()
        .reconcile()
        .onFailure(failure -> LOG.warn("reconciliation failed: {}", failure.getMessage()))
        .onComplete(done -> countAndAnnounce());
  }

  private void countAndAnnounce() {
    node.rows()
        .countOn(node.identity())
        .onSuccess(active::set)
        .onComplete(
            done ->
                vertx
                    .eventBus()
                    .publish(
                        Addresses.TARGET_NODES,
                        new NodePresence(
                                node.identity().name(),
                                node.identity().incarnation().toString(),
                                portal,
                                active.get())
                            .toJson()));
  }
}
