package io.discs.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.discs.platform.Addresses;
import io.discs.platform.Caller;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.images.Image;
import io.discs.platform.images.ImageService;
import io.discs.platform.launch.ServiceContext;
import io.discs.platform.sessions.SessionService;
import io.discs.platform.targets.TargetService;
import io.discs.testing.TestContexts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.serviceproxy.ServiceBinder;
import io.vertx.serviceproxy.ServiceException;
import io.vertx.serviceproxy.ServiceProxyBuilder;
import io.vertx.sqlclient.Tuple;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ImageServiceTest {
  private ServiceContext context;
  private ImageService images;

  /** Images the stand-ins for target-service and session-service say are in use. */
  private final Set<String> servedByATarget = ConcurrentHashMap.newKeySet();

  private final Set<String> usedByASession = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    new ServiceBinder(vertx)
        .setAddress(Addresses.TARGET_SERVICE)
        .register(
            TargetService.class, answering(TargetService.class, "servesImage", servedByATarget));
    new ServiceBinder(vertx)
        .setAddress(Addresses.SESSION_SERVICE)
        .register(
            SessionService.class,
            answering(SessionService.class, "hasActiveForImage", usedByASession));
    context =
        TestContexts.fresh(vertx)
            .compose(ctx -> vertx.deployVerticle(new ImageVerticle(ctx)).map(id -> ctx))
            .await(30, TimeUnit.SECONDS);
    images =
        new ServiceProxyBuilder(vertx)
            .setAddress(Addresses.IMAGE_SERVICE)
            .build(ImageService.class);
  }

  @Test
  void listsImagesFilteredByNameAndPaged() throws Exception {
    insertImage("Debian 12 netinst", "a");
    insertImage("debian-live", "b");
    insertImage("FreeDOS", "c");

    assertThat(images.list("DEBIAN", 0, 10).await(10, TimeUnit.SECONDS))
        .extracting(Image::getName)
        .containsExactly("Debian 12 netinst", "debian-live");
    assertThat(images.list(null, 1, 1).await(10, TimeUnit.SECONDS))
        .extracting(Image::getName)
        .containsExactly("debian-live");
  }

  @Test
  void refusesAPageSizeOutsideItsBounds() {
    assertFails(
        () -> images.list(null, 0, ImageService.MAX_PAGE + 1).await(10, TimeUnit.SECONDS),
        DomainErrors.BAD_REQUEST);
    assertFails(
        () -> images.list(null, -1, 10).await(10, TimeUnit.SECONDS), DomainErrors.BAD_REQUEST);
  }

  @Test
  void answersNotFoundForUnknownAndMalformedIds() {
    assertFails(
        () -> images.get(UUID.randomUUID().toString()).await(10, TimeUnit.SECONDS),
        DomainErrors.NOT_FOUND);
    assertFails(
        () -> images.get("../../etc/passwd").await(10, TimeUnit.SECONDS), DomainErrors.NOT_FOUND);
  }

  @Test
  void deletesAnUnusedImageButNotOneATargetOrAnActiveSessionUses() throws Exception {
    UUID unused = insertImage("unused", "d");
    UUID served = insertImage("served", "e");
    UUID mounted = insertImage("mounted", "f");
    servedByATarget.add(served.toString());
    usedByASession.add(mounted.toString());

    images
        .delete(unused.toString(), context.callers().seal(Caller.system()))
        .await(10, TimeUnit.SECONDS);

    assertFails(
        () -> images.get(unused.toString()).await(10, TimeUnit.SECONDS), DomainErrors.NOT_FOUND);
    assertFails(
        () ->
            images
                .delete(served.toString(), context.callers().seal(Caller.system()))
                .await(10, TimeUnit.SECONDS),
        DomainErrors.CONFLICT);
    assertFails(
        () ->
            images
                .delete(mounted.toString(), context.callers().seal(Caller.system()))
                .await(10, TimeUnit.SECONDS),
        DomainErrors.CONFLICT);
    assertThat(images.get(served.toString()).await(10, TimeUnit.SECONDS).getName())
        .isEqualTo("served");
    assertThat(images.get(mounted.toString()).await(10, TimeUnit.SECONDS).getName())
        .isEqualTo("mounted");
  }

  /**
   * A stand-in for another service on the bus that answers one question (is this image in use?)
   * from {@code inUse} and fails every other call: image-service must ask nothing else.
   */
  private static <T> T answering(Class<T> service, String method, Set<String> inUse) {
    return service.cast(
        Proxy.newProxyInstance(
            service.getClassLoader(),
            new Class<?>[] {service},
            (proxy, called, args) ->
                called.getName().equals(method)
                    ? Future.succeededFuture(inUse.contains((String) args[0]))
                    : Future.failedFuture("image-service should not call " + called.getName())));
  }

  private int inserted;

  private UUID insertImage(String name, String digestChar) throws Exception {
    UUID id = UUID.randomUUID();
    context
        .pool()
        .preparedQuery(
            """
        INSERT INTO images.images
          (id, name, size_bytes, sha256, format, volume_id, bootable, created_by, created_at)
        VALUES ($1, $2, 2048, $3, 'iso9660', 'VOL', false, 'test', $4)
        """)
        .execute(
            Tuple.of(
                id,
                name,
                digestChar.repeat(64),
                // Distinct times, a millisecond apart, in the order of insertion.
                java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)
                    .plusNanos(1_000_000L * inserted++)))
        .await(10, TimeUnit.SECONDS);
    return id;
  }

  private static void assertFails(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int code) {
    assertThatThrownBy(call)
        .isInstanceOf(ServiceException.class)
        .satisfies(e -> assertThat(((ServiceException) e).failureCode()).isEqualTo(code));
  }
}
