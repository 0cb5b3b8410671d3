package io.discs.image.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.discs.platform.Addresses;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.image.Image;
import io.discs.platform.image.ImageService;
import io.discs.platform.launch.VertxFactory;
import io.discs.platform.metrics.Metrics;
import io.discs.testing.FreePorts;
import io.discs.testing.TestContexts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.serviceproxy.ServiceException;
import io.vertx.serviceproxy.ServiceProxyBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two clustered nodes on loopback: the service lives on one, the caller on the other. */
class ClusteredProxyTest {
  private final List<Vertx> nodes = new ArrayList<>();

  @AfterEach
  void closeNodes() throws Exception {
    for (Vertx node : nodes) {
      node.close().await(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void aServiceDeployedOnOneNodeAnswersThroughItsProxyOnAnother() throws Exception {
    String clusterName = "discs-test-" + UUID.randomUUID();
    int portA = FreePorts.next();
    int portB = FreePorts.next();
    String members = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    Vertx serviceNode = node(clusterName, portA, members);
    Vertx callerNode = node(clusterName, portB, members);

    TestContexts.fresh(serviceNode)
        .compose(context -> serviceNode.deployVerticle(new ImageVerticle(context)))
        .await(30, TimeUnit.SECONDS);
    ImageService proxy = new ServiceProxyBuilder(callerNode).setAddress(Addresses.IMAGE_SERVICE)
        .build(ImageService.class);

    List<Image> images = eventually(() -> proxy.list(null, 0, 10));
    assertThat(images).isEmpty();
    assertThatThrownBy(() -> proxy.get(UUID.randomUUID().toString()).await(10, TimeUnit.SECONDS))
        .isInstanceOf(ServiceException.class)
        .satisfies(e -> assertThat(((ServiceException) e).failureCode()).isEqualTo(DomainErrors.NOT_FOUND));
  }

  private Vertx node(String clusterName, int port, String members) throws Exception {
    DiscsConfig config = DiscsConfig.from(Map.of(
        "DISCS_CLUSTER", "true",
        "DISCS_CLUSTER_NAME", clusterName,
        "DISCS_CLUSTER_HOST", "127.0.0.1",
        "DISCS_CLUSTER_PORT", String.valueOf(port),
        "DISCS_CLUSTER_MEMBERS", members));
    Vertx vertx = VertxFactory.create(config, Metrics.create()).await(60, TimeUnit.SECONDS);
    nodes.add(vertx);
    return vertx;
  }

  /** Cluster subscriptions propagate asynchronously; retry while the address has no handler yet. */
  private static <T> T eventually(java.util.function.Supplier<Future<T>> call) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try {
        return call.get().await(10, TimeUnit.SECONDS);
      } catch (io.vertx.core.eventbus.ReplyException e) {
        if (e instanceof ServiceException || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }
}
