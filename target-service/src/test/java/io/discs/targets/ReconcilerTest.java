package io.discs.targets;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.platform.events.EventPublisher;
import io.discs.platform.targets.DeviceType;
import io.discs.platform.targets.TargetNodes;
import io.discs.targets.TargetRows.StoredTarget;
import io.discs.targets.backend.TargetSpec;
import io.discs.targets.chap.ChapCredentials;
import io.discs.targets.names.IscsiNames;
import io.discs.testing.DomainEventLog;
import io.discs.testing.MovableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Reconciliation against rows and a backend in memory: what it removes, remakes and leaves. */
@ExtendWith(VertxExtension.class)
class ReconcilerTest {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final String FOREIGN = "iqn.2001-04.com.example:someone-elses";

  private final IscsiNames names = new IscsiNames("iqn.2026-01.io.discs");
  private final NodeIdentity self = new NodeIdentity("node-a", UUID.randomUUID());
  private final InMemoryTargetRows rows = new InMemoryTargetRows();
  private final InMemoryBackend backend = new InMemoryBackend();
  private final TargetsInFlight inFlight = new TargetsInFlight();
  private final MovableClock clock = new MovableClock();
  private final TargetNodes nodes = new TargetNodes(LEASE, clock);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private DomainEventLog events;
  private Reconciler reconciler;

  @BeforeEach
  void build(Vertx vertx) {
    events = DomainEventLog.listen(vertx);
    reconciler =
        new Reconciler(
            rows,
            self,
            nodes,
            backend,
            names,
            target -> backend.create(spec(target)),
            new EventPublisher(vertx.eventBus()),
            inFlight,
            registry);
  }

  @Test
  void aWantedTargetTheBackendLostIsMadeAgain() throws Exception {
    StoredTarget wanted = row(self);
    rows.insert(wanted);

    reconcile();

    assertThat(backend.targets).containsOnlyKeys(wanted.iqn());
    assertThat(drift("lost")).isEqualTo(1);
    assertThat(events.first("target.reconciled").getJsonObject("details").getJsonArray("recreated"))
        .containsExactly(wanted.iqn());
  }

  @Test
  void ourTargetsNoRowWantsAreRemovedAndOthersAreLeftAlone() throws Exception {
    StoredTarget stray = row(self);
    backend.create(spec(stray));
    backend.create(
        new TargetSpec(
            FOREIGN,
            Path.of("/srv/other.iso"),
            DeviceType.DISK,
            "iqn.x:y",
            new ChapCredentials("u", "secret-secret"),
            null));

    reconcile();

    assertThat(backend.targets).containsOnlyKeys(FOREIGN);
    assertThat(drift("stray")).isEqualTo(1);
  }

  @Test
  void rowsOfThisNodesEarlierStartsAreForgottenAndToldAsDeleted() throws Exception {
    StoredTarget before = row(new NodeIdentity(self.name(), UUID.randomUUID()));
    StoredTarget now = row(self);
    rows.insert(before);
    rows.insert(now);

    reconcile();

    assertThat(rows.rows).containsOnlyKeys(now.id());
    JsonObject deleted = events.first("target.deleted");
    assertThat(deleted.getString("resource")).isEqualTo("target/" + before.id());
    assertThat(deleted.getJsonObject("details").getString("reason"))
        .isEqualTo("target node node-a restarted");
  }

  @Test
  void rowsOfAnotherNodeAreForgottenOnlyOnceItIsSilentForALease() throws Exception {
    StoredTarget elsewhere = row(new NodeIdentity("node-b", UUID.randomUUID()));
    rows.insert(elsewhere);

    reconcile();
    assertThat(rows.rows).containsKey(elsewhere.id());

    clock.advance(LEASE.plusSeconds(1));
    reconcile();
    assertThat(rows.rows).doesNotContainKey(elsewhere.id());
    assertThat(events.first("target.deleted").getJsonObject("details").getString("reason"))
        .isEqualTo("target node node-b restarted or left the cluster");
  }

  @Test
  void aTargetBeingMadeIsNeitherRemadeNorRemoved() throws Exception {
    StoredTarget making = row(self);
    rows.insert(making);
    Promise<Void> done = Promise.promise();
    inFlight.during(making.iqn(), done::future);

    reconcile();
    assertThat(backend.targets).isEmpty();

    // Its creation finishes; the next pass sees a row and a target that agree.
    backend.create(spec(making));
    done.complete();
    reconcile();
    assertThat(backend.targets).containsOnlyKeys(making.iqn());
    assertThat(drift("lost")).isZero();
  }

  private void reconcile() throws Exception {
    reconciler.reconcile().await(10, TimeUnit.SECONDS);
  }

  private double drift(String kind) {
    return registry.get("discs.reconcile.drift").tag("kind", kind).counter().count();
  }

  private StoredTarget row(NodeIdentity node) {
    UUID image = UUID.randomUUID();
    UUID id = UUID.randomUUID();
    return new StoredTarget(
        id,
        names.targetIqn(image, id),
        image,
        "ab".repeat(32),
        "iqn.1993-08.org.debian:01:laptop",
        DeviceType.DISK,
        new ChapCredentials("user-" + id.toString().substring(0, 8), "Secret0123456789"),
        null,
        Instant.now(),
        "uma",
        node,
        false);
  }

  private static TargetSpec spec(StoredTarget target) {
    return new TargetSpec(
        target.iqn(),
        Path.of("/srv/images", target.sha256()),
        target.deviceType(),
        target.initiatorIqn(),
        target.chap(),
        target.mutualChap());
  }
}
