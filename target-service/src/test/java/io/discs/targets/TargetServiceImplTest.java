package io.discs.targets;

import static io.discs.testing.ServiceFailures.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.discs.platform.Caller;
import io.discs.platform.error.HttpStatus;
import io.discs.platform.events.EventPublisher;
import io.discs.platform.images.BlobLayout;
import io.discs.platform.images.Image;
import io.discs.platform.images.ImageDeletions;
import io.discs.platform.images.ImageService;
import io.discs.platform.targets.DeviceType;
import io.discs.platform.targets.Target;
import io.discs.platform.targets.TargetNodes;
import io.discs.platform.targets.TargetRequest;
import io.discs.platform.targets.TargetService;
import io.discs.targets.names.IscsiNames;
import io.discs.testing.DomainEventLog;
import io.discs.testing.MovableClock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.serviceproxy.ServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * target-service's rules on their own: rows and a backend in memory, the image's blob in a store
 * folder. Whatever fails, nothing half-made is left: no row without a target, no target without a
 * row.
 */
@ExtendWith(VertxExtension.class)
class TargetServiceImplTest {
  private static final Caller OLGA = new Caller("olga", List.of("operator"), "192.0.2.7");
  private static final String INITIATOR = "iqn.1993-08.org.debian:01:laptop";
  private static final String SHA256 = "cd".repeat(32);
  private static final Duration LIMIT = Duration.ofMillis(500);

  @TempDir Path dir;

  private final String imageId = UUID.randomUUID().toString();
  private final NodeIdentity self = new NodeIdentity("node-a", UUID.randomUUID());
  private final InMemoryTargetRows rows = new InMemoryTargetRows();
  private final MovableClock clock = new MovableClock();
  private final TargetNodes nodes = new TargetNodes(Duration.ofSeconds(30), clock);
  private DomainEventLog events;
  private final List<String> passedOn = new CopyOnWriteArrayList<>();
  private InMemoryBackend backend;
  private Vertx vertx;

  @BeforeEach
  void build(Vertx vertx) throws Exception {
    this.vertx = vertx;
    events = DomainEventLog.listen(vertx);
    Path blob = BlobLayout.blob(dir.resolve("store"), SHA256);
    Files.createDirectories(blob.getParent());
    Files.write(blob, new byte[4096]);
    backend = new InMemoryBackend(Set.of(DeviceType.DISK));
  }

  private TargetServiceImpl service() {
    ImageService images =
        new ImageService() {
          @Override
          public Future<List<Image>> list(String nameContains, int offset, int limit) {
            return Future.succeededFuture(List.of());
          }

          @Override
          public Future<Image> get(String id) {
            return id.equals(imageId)
                ? Future.succeededFuture(new Image().setId(id).setSha256(SHA256))
                : Future.failedFuture(new ServiceException(HttpStatus.NOT_FOUND, "no image " + id));
          }

          @Override
          public Future<Void> delete(String id, Caller caller) {
            return Future.failedFuture("not here");
          }
        };
    ImageCache cache =
        new ImageCache(
            vertx,
            dir.resolve("store"),
            dir.resolve("cache"),
            1 << 20,
            null,
            images,
            () -> Future.succeededFuture(Set.of()),
            null);
    return new TargetServiceImpl(
        vertx,
        rows,
        backend,
        images,
        new IscsiNames("iqn.2026-01.io.discs"),
        new EventPublisher(vertx.eventBus()),
        cache,
        self,
        name -> otherNode(name),
        nodes,
        new TargetsInFlight(),
        LIMIT);
  }

  @Test
  void aTargetIsItsRowAndTheBackendsTargetAndOnlyCreateShowsItsSecrets() throws Exception {
    TargetServiceImpl targets = service();

    Target made = call(() -> targets.create(request(DeviceType.DISK), OLGA));

    assertThat(rows.rows).hasSize(1);
    assertThat(backend.targets).containsOnlyKeys(made.getIqn());
    assertThat(backend.targets.get(made.getIqn()).initiatorIqn()).isEqualTo(INITIATOR);
    assertThat(backend.targets.get(made.getIqn()).backingFile())
        .isEqualTo(BlobLayout.blob(dir.resolve("store"), SHA256));
    assertThat(made.getChap().getSecret()).isNotBlank();
    assertThat(call(targets::list))
        .singleElement()
        .satisfies(t -> assertThat(t.getChap()).isNull());
    assertThat(events.first("target.created").getString("outcome")).isEqualTo("success");
  }

  @Test
  void aBackendThatFailsLeavesNoRow() {
    TargetServiceImpl targets = service();
    backend.failNextCreation(new IllegalStateException("tgtadm: this target already exists"));

    assertThatThrownBy(() -> call(() -> targets.create(request(DeviceType.DISK), OLGA)))
        .hasMessageContaining("already exists");
    assertThat(rows.rows).isEmpty();
    assertThat(backend.targets).isEmpty();
  }

  @Test
  void aCreationPastTheLimitIsRefusedAndWhatFinishesLaterIsRemoved() throws Exception {
    TargetServiceImpl targets = service();
    Promise<Void> slow = backend.holdNextCreation();

    assertFailsWith(
        () -> call(() -> targets.create(request(DeviceType.DISK), OLGA)),
        HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(rows.rows).isEmpty();

    slow.complete();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> backend.targets.isEmpty());
  }

  @Test
  void aDeviceTheBackendCannotPresentIsRefusedBeforeAnythingIsMade() {
    TargetServiceImpl targets = service();

    assertFailsWith(
        () -> call(() -> targets.create(request(DeviceType.CDROM), OLGA)),
        HttpStatus.UNPROCESSABLE);
    assertThat(rows.rows).isEmpty();
  }

  @Test
  void aTargetOfAnImageBeingDeletedIsTakenBack() throws Exception {
    TargetServiceImpl targets = service();
    ImageDeletions.mark(vertx, imageId).await(5, TimeUnit.SECONDS);

    assertFailsWith(
        () -> call(() -> targets.create(request(DeviceType.DISK), OLGA)), HttpStatus.CONFLICT);
    assertThat(rows.rows).isEmpty();
    assertThat(backend.targets).isEmpty();
  }

  @Test
  void deletingRemovesRowAndTargetAndAnUnknownOneIsNotFound() throws Exception {
    TargetServiceImpl targets = service();
    Target made = call(() -> targets.create(request(DeviceType.DISK), OLGA));

    call(() -> targets.delete(made.getId(), OLGA));

    assertThat(rows.rows).isEmpty();
    assertThat(backend.targets).isEmpty();
    assertFailsWith(() -> call(() -> targets.delete(made.getId(), OLGA)), HttpStatus.NOT_FOUND);
  }

  @Test
  void aTargetOfAServingNodeIsDeletedThereAndOneOfAGoneNodeOnlyLosesItsRow() throws Exception {
    TargetServiceImpl targets = service();
    NodeIdentity other = new NodeIdentity("node-b", UUID.randomUUID());
    Target made = call(() -> targets.create(request(DeviceType.DISK), OLGA));
    TargetRows.StoredTarget mine = rows.rows.values().iterator().next();
    TargetRows.StoredTarget theirs =
        new TargetRows.StoredTarget(
            mine.id(),
            mine.iqn(),
            mine.imageId(),
            mine.sha256(),
            mine.initiatorIqn(),
            mine.deviceType(),
            mine.chap(),
            null,
            mine.createdAt(),
            mine.createdBy(),
            other);
    rows.rows.put(theirs.id(), theirs);

    call(() -> targets.delete(made.getId(), OLGA));
    assertThat(passedOn).containsExactly("node-b");

    clock.advance(Duration.ofSeconds(31));
    call(() -> targets.delete(made.getId(), OLGA));
    assertThat(passedOn).containsExactly("node-b");
    assertThat(rows.rows).isEmpty();
  }

  @Test
  void aBadInitiatorNameIsABadRequest() {
    TargetServiceImpl targets = service();
    TargetRequest bad = request(DeviceType.DISK).setInitiatorIqn("not an iqn");

    assertFailsWith(() -> call(() -> targets.create(bad, OLGA)), HttpStatus.BAD_REQUEST);
    assertThat(rows.rows).isEmpty();
  }

  private TargetRequest request(DeviceType type) {
    return new TargetRequest()
        .setImageId(imageId)
        .setInitiatorIqn(INITIATOR)
        .setDeviceType(type.wireName());
  }

  /** Another node's target-service: records that the call was passed on, and answers done. */
  private TargetService otherNode(String name) {
    return (TargetService)
        java.lang.reflect.Proxy.newProxyInstance(
            TargetService.class.getClassLoader(),
            new Class<?>[] {TargetService.class},
            (proxy, method, args) -> {
              if (method.getName().equals("delete")) {
                passedOn.add(name);
                return Future.succeededFuture();
              }
              return Future.failedFuture("not asked of another node: " + method.getName());
            });
  }

  /** On an event loop, as the service binder calls it. */
  private <T> T call(Supplier<Future<T>> call) throws Exception {
    Promise<T> result = Promise.promise();
    vertx.runOnContext(start -> call.get().onComplete(result));
    return result.future().await(10, TimeUnit.SECONDS);
  }
}
