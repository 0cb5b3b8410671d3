package io.discs.platform.launch;

import io.discs.platform.RequestIds;
import io.discs.platform.cluster.ClusterKeys;
import io.discs.platform.cluster.HazelcastConfigs;
import io.discs.platform.cluster.MemberCredentials;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the process's Vert.x: local event bus for one JVM, Hazelcast for a cluster; metrics either
 * way, and a tracer when {@link Tracing} is on.
 */
public final class VertxFactory {
  private static final Logger LOG = LoggerFactory.getLogger(VertxFactory.class);

  private VertxFactory() {}

  public static Future<Vertx> create(DiscsConfig config, Metrics metrics) {
    return create(config, metrics, Tracing.off(), MemberCredentials.of(config.cluster()));
  }

  /**
   * @param member the process's cluster credentials ({@link MemberCredentials#of}); null when the
   *     process is not on a cluster
   */
  public static Future<Vertx> create(
      DiscsConfig config, Metrics metrics, Tracing tracing, MemberCredentials member) {
    RequestIds.register();
    // Netty's epoll transport where it loads (Linux on x86-64), Java NIO elsewhere: fewer copies
    // and wake-ups per socket event, which an iSCSI reader at queue depth 1 waits on every time.
    VertxOptions options =
        new VertxOptions().setMetricsOptions(metrics.vertxOptions()).setPreferNativeTransport(true);
    var builder =
        tracing.applyTo(options, Vertx.builder().with(options).withMetrics(metrics.vertxFactory()));
    if (!config.cluster().enabled()) {
      return Future.succeededFuture(withRequestIds(builder.build()));
    }
    // Members prove themselves to each other on the event bus with certificates of the cluster's
    // CA (mutual TLS); Hazelcast, which cannot, is joined by a name only members can compute.
    member.secure(
        options
            .getEventBusOptions()
            .setHost(config.cluster().host())
            .setClusterPublicHost(config.cluster().host()));
    var hazelcast =
        HazelcastConfigs.tcpIp(
            ClusterKeys.fromSecret(config.cluster().secret())
                .hazelcastClusterName(config.cluster().name()),
            config.cluster().host(),
            config.cluster().port(),
            config.cluster().members());
    return builder
        .withClusterManager(new HazelcastClusterManager(hazelcast))
        .buildClustered()
        .map(VertxFactory::withRequestIds);
  }

  private static Vertx withRequestIds(Vertx vertx) {
    LOG.info(
        "network transport: {}", vertx.isNativeTransportEnabled() ? "native (epoll)" : "Java NIO");
    RequestIds.install(vertx);
    return vertx;
  }
}
