package io.discs.targets;

import io.discs.platform.events.DomainEvent;
import io.discs.platform.events.DomainEvent.Outcome;
import io.discs.platform.events.EventPublisher;
import io.discs.platform.targets.TargetNodes;
import io.discs.targets.TargetRows.StoredTarget;
import io.discs.targets.backend.BackendTarget;
import io.discs.targets.backend.IscsiService;
import io.discs.targets.names.IscsiNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this node's backend match the database: rows of this node's earlier starts are removed
 * (their targets died with that process, and their sessions with them); targets with discs's prefix
 * that no row of this start wants are removed, wanted targets the backend lost (tgtd restarted) are
 * made again. A target without the prefix is never touched.
 */
final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  private final TargetRows repository;
  private final NodeIdentity node;
  private final TargetNodes nodes;
  private final IscsiService backend;
  private final IscsiNames names;
  private final Function<StoredTarget, Future<Void>> recreate;
  private final EventPublisher events;
  private final TargetsInFlight inFlight;
  private final Counter stray;
  private final Counter lost;
  private final Counter failures;
  private boolean running;

  /**
   * @param recreate makes a row's target on the backend again (a drive with the disc it had)
   */
  Reconciler(
      TargetRows repository,
      NodeIdentity node,
      TargetNodes nodes,
      IscsiService backend,
      IscsiNames names,
      Function<StoredTarget, Future<Void>> recreate,
      EventPublisher events,
      TargetsInFlight inFlight,
      MeterRegistry registry) {
    this.repository = repository;
    this.node = node;
    this.nodes = nodes;
    this.backend = backend;
    this.names = names;
    this.recreate = recreate;
    this.events = events;
    this.inFlight = inFlight;
    this.stray = drift(registry, "stray");
    this.lost = drift(registry, "lost");
    this.failures =
        Counter.builder("discs.reconcile.failures")
            .description("reconciliation passes that could not make the backend match")
            .register(registry);
  }

  /**
   * Targets found on the backend that no row wants (stray) or rows whose target was gone (lost).
   */
  private static Counter drift(MeterRegistry registry, String kind) {
    return Counter.builder("discs.reconcile.drift")
        .tag("kind", kind)
        .description("targets reconciliation had to remove or recreate")
        .register(registry);
  }

  /** One pass; a pass still running makes this one a no-op. */
  Future<Void> reconcile() {
    if (running) {
      return Future.succeededFuture();
    }
    running = true;
    Set<String> inFlightMeanwhile = inFlight.watch();
    return forgetEarlierStarts()
        .compose(v -> forgetLostNodes())
        .compose(v -> Future.all(repository.on(node), backend.list()))
        .compose(
            both -> {
              List<StoredTarget> wanted = both.resultAt(0);
              List<BackendTarget> actual = both.resultAt(1);
              Set<String> wantedIqns =
                  wanted.stream().map(StoredTarget::iqn).collect(Collectors.toSet());
              Set<String> actualIqns =
                  actual.stream().map(BackendTarget::iqn).collect(Collectors.toSet());
              List<String> removed =
                  actual.stream()
                      .map(BackendTarget::iqn)
                      .filter(iqn -> names.isOurs(iqn) && !wantedIqns.contains(iqn))
                      .filter(iqn -> !inFlightMeanwhile.contains(iqn))
                      .toList();
              List<StoredTarget> missing =
                  wanted.stream()
                      .filter(t -> !actualIqns.contains(t.iqn()))
                      .filter(t -> !inFlightMeanwhile.contains(t.iqn()))
                      .toList();
              List<Future<Void>> work = new ArrayList<>();
              removed.forEach(iqn -> work.add(backend.delete(iqn)));
              missing.forEach(target -> work.add(recreate.apply(target)));
              return Future.join(work)
                  .transform(
                      done -> {
                        stray.increment(removed.size());
                        lost.increment(missing.size());
                        if (!removed.isEmpty() || !missing.isEmpty()) {
                          LOG.info(
                              "reconciled the {} backend: removed {} stray, recreated {} lost targets",
                              backend.name(),
                              removed.size(),
                              missing.size());
                          events.publish(
                              DomainEvent.of(
                                  "target.reconciled",
                                  "system",
                                  "backend/" + backend.name(),
                                  done.succeeded() ? Outcome.SUCCESS : Outcome.FAILURE,
                                  null,
                                  new JsonObject()
                                      .put("removed", new JsonArray(removed))
                                      .put(
                                          "recreated",
                                          new JsonArray(
                                              missing.stream().map(StoredTarget::iqn).toList()))));
                        }
                        return done.succeeded()
                            ? Future.<Void>succeededFuture()
                            : Future.<Void>failedFuture(done.cause());
                      });
            })
        .onFailure(e -> failures.increment())
        .andThen(
            done -> {
              inFlight.end(inFlightMeanwhile);
              running = false;
            });
  }

  private Future<Void> forgetEarlierStarts() {
    return repository
        .forgetEarlierStarts(node)
        .map(
            forgotten -> {
              told(
                  forgotten,
                  target ->
                      target.node() == null
                          ? "its target was made before target nodes had names"
                          : "target node " + target.node().name() + " restarted");
              if (!forgotten.isEmpty()) {
                LOG.info("removed {} targets of this node's earlier starts", forgotten.size());
              }
              return null;
            });
  }

  /**
   * Rows of other nodes that restarted or have not been heard from for a lease: a node that never
   * comes back would otherwise keep its rows (and their images in use) for ever.
   */
  private Future<Void> forgetLostNodes() {
    return repository
        .list()
        .compose(
            all -> {
              Set<NodeIdentity> lost =
                  all.stream()
                      .map(StoredTarget::node)
                      .filter(other -> other != null && !other.name().equals(node.name()))
                      .filter(
                          other ->
                              nodes.standing(other.name(), other.incarnation().toString())
                                  != TargetNodes.Standing.SERVING)
                      .collect(Collectors.toSet());
              List<Future<Void>> forgotten =
                  lost.stream()
                      .map(
                          other ->
                              repository
                                  .forgetStart(other)
                                  .<Void>map(
                                      rows -> {
                                        told(
                                            rows,
                                            target ->
                                                "target node "
                                                    + other.name()
                                                    + " restarted or left the cluster");
                                        LOG.info(
                                            "removed {} targets of lost node {}",
                                            rows.size(),
                                            other.name());
                                        return null;
                                      }))
                      .toList();
              return Future.join(forgotten).mapEmpty();
            });
  }

  /** Each row removed here is told as target.deleted, so session-service fails its session. */
  private void told(List<StoredTarget> forgotten, Function<StoredTarget, String> why) {
    for (StoredTarget target : forgotten) {
      String reason = why.apply(target);
      events.publish(
          DomainEvent.of(
              "target.deleted",
              "system",
              "target/" + target.id(),
              Outcome.SUCCESS,
              null,
              new JsonObject()
                  .put("iqn", target.iqn())
                  .put("imageId", target.imageId().toString())
                  .put("reason", reason)));
    }
  }
}
