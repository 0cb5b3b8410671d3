package io.discs.targets;

import io.discs.platform.events.DomainEvent;
import io.discs.platform.events.DomainEvent.Outcome;
import io.discs.platform.events.EventPublisher;
import io.discs.targets.TargetRepository.StoredTarget;
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
 * Makes the backend match the database: targets with discs's prefix that no row wants are removed,
 * wanted targets the backend lost (tgtd restarted) are made again. A target without the prefix is
 * never touched.
 */
final class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  private final TargetRepository repository;
  private final IscsiService backend;
  private final IscsiNames names;
  private final Function<StoredTarget, io.discs.targets.backend.TargetSpec> specs;
  private final EventPublisher events;
  private final Counter stray;
  private final Counter lost;
  private final Counter failures;
  private boolean running;

  Reconciler(
      TargetRepository repository,
      IscsiService backend,
      IscsiNames names,
      Function<StoredTarget, io.discs.targets.backend.TargetSpec> specs,
      EventPublisher events,
      MeterRegistry registry) {
    this.repository = repository;
    this.backend = backend;
    this.names = names;
    this.specs = specs;
    this.events = events;
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
    return Future.all(repository.list(), backend.list())
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
                      .toList();
              List<StoredTarget> missing =
                  wanted.stream().filter(t -> !actualIqns.contains(t.iqn())).toList();
              List<Future<Void>> work = new ArrayList<>();
              removed.forEach(iqn -> work.add(backend.delete(iqn)));
              missing.forEach(target -> work.add(backend.create(specs.apply(target))));
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
        .andThen(done -> running = false);
  }
}
