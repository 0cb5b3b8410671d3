package io.discs.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.discs.platform.Addresses;
import io.discs.platform.Caller;
import io.discs.platform.cluster.CallerProofs;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.images.Image;
import io.discs.platform.images.ImageService;
import io.discs.platform.sessions.Session;
import io.discs.platform.sessions.SessionService;
import io.discs.platform.sessions.SessionStartRequest;
import io.discs.platform.sessions.SessionState;
import io.discs.platform.targets.Chap;
import io.discs.platform.targets.FetchProgress;
import io.discs.platform.targets.Target;
import io.discs.platform.targets.TargetRequest;
import io.discs.platform.targets.TargetService;
import io.discs.testing.MovableClock;
import io.discs.testing.TestContexts;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.serviceproxy.ServiceBinder;
import io.vertx.serviceproxy.ServiceException;
import io.vertx.serviceproxy.ServiceProxyBuilder;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * session-service through its proxy, as the gateway calls it, on a real database; target-service
 * and image-service are stand-ins on the bus that record what they were asked.
 */
@ExtendWith(VertxExtension.class)
class SessionServiceTest {
  private static final int LEASE = 10;
  private static final String INITIATOR = "iqn.1993-08.org.debian:01:laptop";
  private Caller uma;

  private final String image = UUID.randomUUID().toString();

  /** Targets the stand-in target-service holds, by id. */
  private final Map<String, Target> targets = new ConcurrentHashMap<>();

  private final Set<String> failingImages = ConcurrentHashMap.newKeySet();

  /** Fetches the stand-in target node was asked for, completed when the test says. */
  private final List<Promise<Void>> fetches = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Whether the stand-in node holds the image already (its fetch is done at once). */
  private volatile boolean imageOnTheNode;

  private SessionService sessions;
  private CallerProofs callers;

  /** Lease time: moved by the tests, never waited for. */
  private final MovableClock clock = new MovableClock();

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    new ServiceBinder(vertx)
        .setAddress(Addresses.TARGET_SERVICE)
        .register(TargetService.class, targetService());
    new ServiceBinder(vertx)
        .setAddress(Addresses.IMAGE_SERVICE)
        .register(ImageService.class, imageService());
    TestContexts.fresh(
            vertx,
            Map.of(
                "DISCS_LEASE_SECONDS",
                String.valueOf(LEASE),
                "DISCS_HEARTBEAT_SECONDS",
                "3",
                "DISCS_REAPER_SECONDS",
                "1",
                "DISCS_MAX_SESSIONS_PER_USER",
                "2"))
        .compose(context -> vertx.deployVerticle(new SessionVerticle(context.withClock(clock))))
        .await(30, TimeUnit.SECONDS);
    sessions =
        new ServiceProxyBuilder(vertx)
            .setAddress(Addresses.SESSION_SERVICE)
            .build(SessionService.class);
    // Sealed as the gateway seals the callers it authenticated (one JVM: the Vert.x's own key).
    callers = CallerProofs.of(vertx, DiscsConfig.from(Map.of()).cluster(), Clock.systemUTC());
    uma = callers.seal(new Caller("uma", List.of("user"), "192.0.2.7"));
  }

  @Test
  void aCallerNoMemberSealedIsRefused() {
    Caller forged = new Caller("uma", List.of("admin"), "192.0.2.7");
    assertThatThrownBy(() -> sessions.list(forged).await(10, TimeUnit.SECONDS))
        .isInstanceOfSatisfying(
            io.vertx.core.eventbus.ReplyException.class,
            e -> assertThat(e.failureCode()).isEqualTo(401));
    Caller tampered = callers.seal(new Caller("uma", List.of("user"), "192.0.2.7"));
    tampered.setRoles(List.of("admin"));
    assertThatThrownBy(() -> sessions.list(tampered).await(10, TimeUnit.SECONDS))
        .as("roles changed after sealing")
        .isInstanceOfSatisfying(
            io.vertx.core.eventbus.ReplyException.class,
            e -> assertThat(e.failureCode()).isEqualTo(401));
  }

  @Test
  void startsASessionWithATargetOfItsOwnAndEveryViewNamesTheLunTheTargetServes() throws Exception {
    Session started = start(INITIATOR);

    assertThat(started.getState()).isEqualTo(SessionState.ACTIVE);
    assertThat(targets).hasSize(1);
    Target target = targets.values().iterator().next();
    assertThat(target.getInitiatorIqn()).isEqualTo(INITIATOR);
    JsonObject listed = sessions.list(uma).await(10, TimeUnit.SECONDS).get(0).toJson();
    assertThat(started.toJson().getJsonObject("target"))
        .isEqualTo(
            new JsonObject()
                .put("iqn", target.getIqn())
                .put("portal", "192.0.2.10:3260")
                .put("lun", 5));
    assertThat(listed.getJsonObject("target")).isEqualTo(started.toJson().getJsonObject("target"));
    assertThat(started.toJson().getJsonObject("chap").getString("secret"))
        .isEqualTo("Secret0123456789");
    assertThat(listed.containsKey("chap")).isFalse();
  }

  @Test
  void heartbeatsKeepASessionAndAnEndedOneAnswersGoneAndTakesItsTarget() throws Exception {
    Session started = start(INITIATOR);
    Instant first = Instant.parse(started.toJson().getString("leaseExpiresAt"));
    clock.advance(Duration.ofSeconds(3));

    Session beat = sessions.heartbeat(started.getId(), uma).await(10, TimeUnit.SECONDS);
    assertThat(Instant.parse(beat.toJson().getString("leaseExpiresAt"))).isAfter(first);

    sessions.end(started.getId(), uma).await(10, TimeUnit.SECONDS);
    assertThat(targets).isEmpty();
    assertFails(
        () -> sessions.heartbeat(started.getId(), uma).await(10, TimeUnit.SECONDS),
        DomainErrors.GONE);
    assertThat(stateOf(started.getId())).isEqualTo(SessionState.ENDED);
  }

  @Test
  void anotherUserNeitherSeesNorTouchesASession() throws Exception {
    Session started = start(INITIATOR);
    Caller vera = callers.seal(new Caller("vera", List.of("user"), null));

    assertFails(
        () -> sessions.heartbeat(started.getId(), vera).await(10, TimeUnit.SECONDS),
        DomainErrors.NOT_FOUND);
    assertFails(
        () -> sessions.end(started.getId(), vera).await(10, TimeUnit.SECONDS),
        DomainErrors.NOT_FOUND);
    assertThat(sessions.list(vera).await(10, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void limitsActiveSessionsPerUserAndRefusesBadInput() throws Exception {
    start(INITIATOR);
    start("iqn.1993-08.org.debian:01:desk");

    assertFails(() -> start("iqn.1993-08.org.debian:01:third"), DomainErrors.TOO_MANY);
    assertFails(
        () ->
            sessions
                .start(SessionStartRequest.of(image, "$(reboot)", null), uma)
                .await(10, TimeUnit.SECONDS),
        DomainErrors.BAD_REQUEST);
    assertFails(
        () ->
            sessions
                .start(SessionStartRequest.of(image, INITIATOR, "tape"), uma)
                .await(10, TimeUnit.SECONDS),
        DomainErrors.BAD_REQUEST);
    assertThat(targets).hasSize(2);
  }

  @Test
  void anUnknownImageIsNotFoundAndLeavesNoSession() throws Exception {
    assertFails(
        () ->
            sessions
                .start(SessionStartRequest.of(UUID.randomUUID().toString(), INITIATOR, null), uma)
                .await(10, TimeUnit.SECONDS),
        DomainErrors.NOT_FOUND);
    assertThat(sessions.list(uma).await(10, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void aTargetThatCannotBeMadeFailsTheSession() throws Exception {
    failingImages.add(image);

    assertThatThrownBy(() -> start(INITIATOR)).isInstanceOf(ServiceException.class);
    List<Session> all = sessions.list(uma).await(10, TimeUnit.SECONDS);
    assertThat(all).extracting(Session::getState).containsExactly(SessionState.FAILED);
  }

  @Test
  void theReaperExpiresASessionWhoseLeaseLapsedAndRemovesItsTarget() throws Exception {
    Session kept = start(INITIATOR);
    Session abandoned = start("iqn.1993-08.org.debian:01:walked-away");

    // Past the grace a start gives, one heartbeat for the kept one, then past the other's lease.
    clock.advance(Duration.ofSeconds(LEASE - 2));
    sessions.heartbeat(kept.getId(), uma).await(10, TimeUnit.SECONDS);
    clock.advance(Duration.ofSeconds(LEASE - 2));
    sessions.heartbeat(kept.getId(), uma).await(10, TimeUnit.SECONDS);
    clock.advance(Duration.ofSeconds(3));

    // The reaper's next pass (every second) expires it.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> stateOf(abandoned.getId()), SessionState.EXPIRED::equals);
    assertThat(stateOf(kept.getId())).isEqualTo(SessionState.ACTIVE);
    assertThat(targets.values()).extracting(Target::getInitiatorIqn).containsExactly(INITIATOR);
    assertFails(
        () -> sessions.heartbeat(abandoned.getId(), uma).await(10, TimeUnit.SECONDS),
        DomainErrors.GONE);
  }

  @Test
  void answersWhetherAnImageIsInActiveUse() throws Exception {
    assertThat(sessions.hasActiveForImage(image).await(10, TimeUnit.SECONDS)).isFalse();
    Session started = start(INITIATOR);
    assertThat(sessions.hasActiveForImage(image).await(10, TimeUnit.SECONDS)).isTrue();
    sessions.end(started.getId(), uma).await(10, TimeUnit.SECONDS);
    assertThat(sessions.hasActiveForImage(image).await(10, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void aSessionThatAnswersAtOnceIsPreparingUntilItsNodeHasTheImageThenActiveWithItsChap()
      throws Exception {
    Session started = startAsync();

    assertThat(started.getState()).isEqualTo(SessionState.PREPARING);
    assertThat(started.getChap()).isNull();
    assertThat(started.getTarget()).isNull();
    Session preparing = get(started.getId());
    assertThat(preparing.getState()).isEqualTo(SessionState.PREPARING);
    assertThat(preparing.getPreparing().getFetchedBytes()).isEqualTo(1024);
    assertThat(targets).as("no target before the image is there").isEmpty();
    assertThat(sessions.heartbeat(started.getId(), uma).await(10, TimeUnit.SECONDS)).isNotNull();

    fetches.get(0).complete();

    Session active =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> get(started.getId()), s -> s.getState() == SessionState.ACTIVE);
    assertThat(active.getTarget().getLun()).isEqualTo(5);
    assertThat(active.getChap().getSecret()).isEqualTo("Secret0123456789");
    assertThat(targets).hasSize(1);
  }

  @Test
  void aNodeThatHasTheImageAnswersTheActiveSessionAtOnce() throws Exception {
    imageOnTheNode = true;

    Session started = startAsync();

    assertThat(started.getState()).isEqualTo(SessionState.ACTIVE);
    assertThat(started.getChap().getSecret()).isEqualTo("Secret0123456789");
    assertThat(targets).hasSize(1);
  }

  @Test
  void aSessionEndedWhileItPreparesTakesItsLateTargetWithIt() throws Exception {
    Session started = startAsync();
    sessions.end(started.getId(), uma).await(10, TimeUnit.SECONDS);

    fetches.get(0).complete();

    await("the late target removed")
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ofMillis(200))
        .until(() -> targets.isEmpty() && stateOf(started.getId()) == SessionState.ENDED);
    assertThat(get(started.getId()).getState()).isEqualTo(SessionState.ENDED);
  }

  @Test
  void aFetchThatFailsEndsTheSessionFailedWithTheReason() throws Exception {
    Session started = startAsync();

    fetches.get(0).fail(new ServiceException(DomainErrors.UNAVAILABLE, "the bucket went away"));

    Session failed =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> get(started.getId()), s -> s.getState() == SessionState.FAILED);
    assertThat(failed.getReason()).contains("the bucket went away");
    assertThat(targets).isEmpty();
  }

  @Test
  void aPreparationNobodyFinishesIsFailedOnceItsLimitAndALeasePass() throws Exception {
    Session started = startAsync();
    // Its owner keeps beating (every half lease) for the whole limit; whoever prepared it never
    // answers. Then a lease passes: the reaper fails it before it would expire it.
    for (Duration beaten = Duration.ZERO;
        beaten.compareTo(SessionServiceImpl.PREPARATION_LIMIT) < 0;
        beaten = beaten.plusSeconds(LEASE / 2)) {
      assertThat(stateOf(started.getId())).isEqualTo(SessionState.PREPARING);
      clock.advance(Duration.ofSeconds(LEASE / 2));
      sessions.heartbeat(started.getId(), uma).await(10, TimeUnit.SECONDS);
    }
    clock.advance(Duration.ofSeconds(LEASE + 1));

    Session failed =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> get(started.getId()), s -> s.getState() == SessionState.FAILED);
    assertThat(failed.getReason()).contains("not ready within 30 minutes");
  }

  private Session startAsync() throws Exception {
    return sessions
        .start(SessionStartRequest.of(image, INITIATOR, null).setRespondAsync(true), uma)
        .await(10, TimeUnit.SECONDS);
  }

  private Session get(String id) throws Exception {
    return sessions.get(id, uma).await(10, TimeUnit.SECONDS);
  }

  private Session start(String initiator) throws Exception {
    return sessions
        .start(SessionStartRequest.of(image, initiator, null), uma)
        .await(10, TimeUnit.SECONDS);
  }

  private SessionState stateOf(String id) throws Exception {
    return sessions.list(uma).await(10, TimeUnit.SECONDS).stream()
        .filter(s -> s.getId().equals(id))
        .findFirst()
        .orElseThrow()
        .getState();
  }

  /**
   * A target-service that serves LUN 5 on a fixed portal, so the test sees the LUN travel
   * unchanged.
   */
  private TargetService targetService() {
    return stub(
        TargetService.class,
        (method, args) ->
            switch (method) {
              case "create" -> {
                TargetRequest request = (TargetRequest) args[0];
                if (failingImages.contains(request.getImageId())) {
                  yield Future.failedFuture(
                      new ServiceException(DomainErrors.UNAVAILABLE, "backend down"));
                }
                String id = UUID.randomUUID().toString();
                Target target =
                    new Target()
                        .setId(id)
                        .setIqn("iqn.2026-01.io.discs:test." + id.substring(0, 8))
                        .setPortal("192.0.2.10:3260")
                        .setLun(5)
                        .setImageId(request.getImageId())
                        .setInitiatorIqn(request.getInitiatorIqn())
                        .setDeviceType("disk")
                        .setChap(new Chap().setUsername("discs-user").setSecret("Secret0123456789"))
                        .setCreatedAt(Instant.now());
                targets.put(id, target);
                yield Future.succeededFuture(target);
              }
              case "delete" ->
                  targets.remove((String) args[0]) != null
                      ? Future.succeededFuture()
                      : Future.failedFuture(
                          new ServiceException(DomainErrors.NOT_FOUND, "no target"));
              case "connections" -> Future.succeededFuture(List.of());
              case "prepare" -> {
                Promise<Void> fetch = Promise.promise();
                fetches.add(fetch);
                if (imageOnTheNode) {
                  fetch.complete();
                }
                yield fetch.future();
              }
              case "fetchProgress" ->
                  Future.succeededFuture(
                      new FetchProgress().setFetchedBytes(1024).setTotalBytes(2048));
              case "chapOf" ->
                  Optional.ofNullable(targets.get((String) args[0]))
                      .map(target -> Future.succeededFuture(target.getChap()))
                      .orElseGet(
                          () ->
                              Future.failedFuture(
                                  new ServiceException(DomainErrors.NOT_FOUND, "no target")));
              default -> Future.failedFuture("session-service should not call " + method);
            });
  }

  private ImageService imageService() {
    return stub(
        ImageService.class,
        (method, args) ->
            method.equals("get") && args[0].equals(image)
                ? Future.succeededFuture(
                    new Image()
                        .setId(image)
                        .setName("disc.iso")
                        .setSizeBytes(2048)
                        .setSha256("a".repeat(64))
                        .setFormat("iso9660")
                        .setCreatedAt(Instant.now())
                        .setCreatedBy("olga"))
                : Future.failedFuture(
                    new ServiceException(DomainErrors.NOT_FOUND, "no image " + args[0])));
  }

  private interface Answers {
    Future<?> answer(String method, Object[] args);
  }

  private static void assertFails(
      org.assertj.core.api.ThrowableAssert.ThrowingCallable call, int code) {
    assertThatThrownBy(call)
        .isInstanceOf(ServiceException.class)
        .satisfies(e -> assertThat(((ServiceException) e).failureCode()).isEqualTo(code));
  }

  private static <T> T stub(Class<T> service, Answers answers) {
    return service.cast(
        Proxy.newProxyInstance(
            service.getClassLoader(),
            new Class<?>[] {service},
            (proxy, method, args) -> answers.answer(method.getName(), args)));
  }
}
