package io.discs.testing;

import io.discs.platform.config.DiscsConfig;
import io.discs.platform.launch.VertxFactory;
import io.discs.platform.metrics.Metrics;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Clustered Vert.x nodes on loopback, with a cluster name no other test run shares. */
public final class TestCluster implements AutoCloseable {
  /** The members' shared secret: their TLS certificates and the Hazelcast name come from it. */
  public static final String SECRET = "a-test-cluster-secret-of-32-chars-or-more";

  private final List<Vertx> nodes;

  private TestCluster(List<Vertx> nodes) {
    this.nodes = nodes;
  }

  public static TestCluster start(int size) throws Exception {
    String name = "discs-test-" + UUID.randomUUID();
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ports.add(FreePorts.next());
    }
    String members = ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    List<Vertx> nodes = new ArrayList<>();
    for (int port : ports) {
      DiscsConfig config =
          DiscsConfig.from(
              Map.of(
                  "DISCS_CLUSTER",
                  "true",
                  "DISCS_CLUSTER_NAME",
                  name,
                  "DISCS_CLUSTER_HOST",
                  "127.0.0.1",
                  "DISCS_CLUSTER_PORT",
                  String.valueOf(port),
                  "DISCS_CLUSTER_MEMBERS",
                  members,
                  "DISCS_CLUSTER_SECRET",
                  SECRET));
      nodes.add(VertxFactory.create(config, Metrics.create()).await(60, TimeUnit.SECONDS));
    }
    return new TestCluster(nodes);
  }

  public Vertx node(int index) {
    return nodes.get(index);
  }

  @Override
  public void close() throws Exception {
    for (Vertx node : nodes) {
      node.close().await(20, TimeUnit.SECONDS);
    }
  }
}
