package io.discs.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.discs.platform.Addresses;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.images.Image;
import io.discs.platform.images.ImageService;
import io.discs.testing.TestCluster;
import io.discs.testing.TestContexts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.serviceproxy.ServiceException;
import io.vertx.serviceproxy.ServiceProxyBuilder;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two clustered nodes on loopback: the service lives on one, the caller on the other. */
class ClusteredProxyTest {
  private TestCluster cluster;

  @AfterEach
  void closeNodes() throws Exception {
    cluster.close();
  }

  @Test
  void aServiceDeployedOnOneNodeAnswersThroughItsProxyOnAnother() throws Exception {
    cluster = TestCluster.start(2);
    Vertx serviceNode = cluster.node(0);
    Vertx callerNode = cluster.node(1);

    TestContexts.fresh(serviceNode)
        .compose(context -> serviceNode.deployVerticle(new ImageVerticle(context)))
        .await(30, TimeUnit.SECONDS);
    ImageService proxy =
        new ServiceProxyBuilder(callerNode)
            .setAddress(Addresses.IMAGE_SERVICE)
            .build(ImageService.class);

    List<Image> images = eventually(() -> proxy.list(null, 0, 10));
    assertThat(images).isEmpty();
    assertThatThrownBy(() -> proxy.get(UUID.randomUUID().toString()).await(10, TimeUnit.SECONDS))
        .isInstanceOf(ServiceException.class)
        .satisfies(
            e ->
                assertThat(((ServiceException) e).failureCode()).isEqualTo(DomainErrors.NOT_FOUND));
  }

  /** Cluster subscriptions propagate asynchronously; retry while the address has no handler yet. */
  private static <T> T eventually(java.util.function.Supplier<Future<T>> call) {
    AtomicReference<T> answer = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              try {
                answer.set(call.get().await(10, TimeUnit.SECONDS));
                return true;
              } catch (io.vertx.core.eventbus.ReplyException e) {
                if (e instanceof ServiceException) {
                  throw e;
                }
                return false; // no handler on this node yet
              }
            });
    return answer.get();
  }
}
