package io.discs.targets;

import static io.discs.testing.ServiceFailures.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.discs.platform.Caller;
import io.discs.platform.config.HostPort;
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
import io.discs.targets.backend.IscsiService;
import io.discs.targets.chap.ChapCredentials;
import io.discs.targets.embedded.iscsi.BlockingInitiator;
import io.discs.targets.embedded.iscsi.EmbeddedBackend;
import io.discs.targets.names.IscsiNames;
import io.discs.testing.DomainEventLog;
import io.discs.testing.FreePorts;
import io.discs.testing.MovableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
  private static final String SHA256_B = "ef".repeat(32);
  private static final Duration LIMIT = Duration.ofMillis(500);

  @TempDir Path dir;

  private final String imageId = UUID.randomUUID().toString();
  private final String imageB = UUID.randomUUID().toString();
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
    for (String sha256 : List.of(SHA256, SHA256_B)) {
      Path blob = BlobLayout.blob(dir.resolve("store"), sha256);
      Files.createDirectories(blob.getParent());
      Files.write(blob, new byte[(int) Image.MIN_BYTES]);
    }
    backend = new InMemoryBackend(Set.of(DeviceType.DISK));
  }

  private TargetServiceImpl service() {
    return service(backend);
  }

  private TargetServiceImpl service(IscsiService backend) {
    ImageService images =
        new ImageService() {
          @Override
          public Future<List<Image>> list(String nameContains, int offset, int limit) {
            return Future.succeededFuture(List.of());
          }

          @Override
          public Future<Image> get(String id) {
            if (id.equals(imageId) || id.equals(imageB)) {
              return Future.succeededFuture(
                  new Image().setId(id).setSha256(id.equals(imageId) ? SHA256 : SHA256_B));
            }
            return Future.failedFuture(
                new ServiceException(HttpStatus.NOT_FOUND, "no image " + id));
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
            other,
            false);
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

  @Test
  void aDriveTakesDiscsInAndOutAndItsRowAndTheLogFollow() throws Exception {
    HostPort listen = new HostPort("127.0.0.1", FreePorts.next());
    EmbeddedBackend embedded =
        new EmbeddedBackend(vertx, listen, listen, new SimpleMeterRegistry());
    embedded.start().await(10, TimeUnit.SECONDS);
    try {
      TargetServiceImpl targets = service(embedded);
      embedded.onEmptied(targets::emptied);
      embedded.onReloaded(targets::reloaded);
      Target drive =
          call(
              () ->
                  targets.create(
                      new TargetRequest().setInitiatorIqn(INITIATOR).setDrive(true), OLGA));
      assertThat(drive.isDrive()).isTrue();
      assertThat(drive.getImageId()).isNull();
      assertThat(drive.getIqn()).contains(":drive.");
      assertThat(drive.getChap().getSecret()).isNotBlank();
      assertThat(embedded.hasDisc(drive.getIqn())).isFalse();

      Target inserted = call(() -> targets.insert(drive.getId(), imageId, OLGA));
      assertThat(inserted.getImageId()).isEqualTo(imageId);
      assertThat(embedded.hasDisc(drive.getIqn())).isTrue();
      assertThat(call(() -> targets.servesImage(imageId))).isTrue();

      call(() -> targets.insert(drive.getId(), imageB, OLGA));
      assertThat(call(() -> targets.get(drive.getId())).getImageId()).isEqualTo(imageB);
      assertThat(call(() -> targets.servesImage(imageId))).isFalse();
      assertFailsWith(
          () -> call(() -> targets.insert(drive.getId(), UUID.randomUUID().toString(), OLGA)),
          HttpStatus.NOT_FOUND);
      assertThat(call(() -> targets.get(drive.getId())).getImageId())
          .as("a disc that could not go in leaves the one there")
          .isEqualTo(imageB);

      Target ejected = call(() -> targets.eject(drive.getId(), false, OLGA));
      assertThat(ejected.getImageId()).isNull();
      assertThat(embedded.hasDisc(drive.getIqn())).isFalse();
      assertThat(call(() -> targets.servesImage(imageB))).isFalse();
      assertThat(call(() -> targets.eject(drive.getId(), false, OLGA)).getImageId()).isNull();

      // An initiator's eject (START STOP UNIT) empties the drive without discs asking; its load
      // closes the tray with the disc back in, and the row follows both.
      call(() -> targets.insert(drive.getId(), imageId, OLGA));
      try (BlockingInitiator initiator =
          BlockingInitiator.login(
              listen.host(),
              listen.port(),
              drive.getIqn(),
              INITIATOR,
              new ChapCredentials(drive.getChap().getUsername(), drive.getChap().getSecret()))) {
        assertThat(initiator.command(new byte[] {0x1b, 0, 0, 0, 0x02, 0}, 0).status()).isZero();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> call(() -> targets.get(drive.getId())).getImageId() == null);
        assertThat(call(() -> targets.servesImage(imageId)))
            .as("out of the drive, the disc is the library's again")
            .isFalse();

        initiator.command(new byte[6], 0); // the attention of its own eject
        assertThat(initiator.command(new byte[] {0x1b, 0, 0, 0, 0x03, 0}, 0).status()).isZero();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> imageId.equals(call(() -> targets.get(drive.getId())).getImageId()));
      }

      await().atMost(Duration.ofSeconds(5)).until(() -> events.types().size() >= 7);
      assertThat(events.types())
          .containsSubsequence(
              "target.created",
              "drive.inserted",
              "drive.inserted",
              "drive.ejected",
              "drive.inserted",
              "drive.ejected",
              "drive.inserted");
      assertThat(events.last("drive.ejected").getString("actor"))
          .isEqualTo("initiator " + INITIATOR);
      assertThat(events.last("drive.inserted").getString("actor"))
          .isEqualTo("initiator " + INITIATOR);

      Target plain = call(() -> targets.create(request(DeviceType.CDROM), OLGA));
      assertFailsWith(
          () -> call(() -> targets.insert(plain.getId(), imageB, OLGA)), HttpStatus.CONFLICT);
    } finally {
      embedded.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aBackendThatCannotChangeDiscsRefusesDrivesNamingItself() throws Exception {
    TargetServiceImpl targets = service();
    assertThatThrownBy(
            () ->
                call(
                    () ->
                        targets.create(
                            new TargetRequest()
                                .setImageId(imageId)
                                .setInitiatorIqn(INITIATOR)
                                .setDrive(true),
                            OLGA)))
        .isInstanceOfSatisfying(
            ServiceException.class,
            e -> {
              assertThat(e.failureCode()).isEqualTo(HttpStatus.CONFLICT);
              assertThat(e.getMessage())
                  .contains("the " + backend.name() + " backend cannot change");
            });
    assertThat(rows.rows).isEmpty();
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
