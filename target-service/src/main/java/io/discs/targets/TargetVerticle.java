package io.discs.targets;

import io.discs.platform.Addresses;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.config.IscsiBackendKind;
import io.discs.platform.launch.ServiceBindings;
import io.discs.platform.launch.ServiceContext;
import io.discs.platform.targets.TargetService;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** target-service's front door: picks the backend, binds {@link TargetService}, reconciles. */
public final class TargetVerticle extends VerticleBase {
  public static final String NAME = "target-service";
  private static final Logger LOG = LoggerFactory.getLogger(TargetVerticle.class);

  private final ServiceContext services;
  private WorkerExecutor commands;
  private TargetNode node;
  private NodeRounds rounds;

  public TargetVerticle(ServiceContext services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    DiscsConfig config = services.config();
    // The key file is blocking work.
    String name = config.targets().portal().toString();
    return vertx
        .executeBlocking(
            () ->
                new Start(
                    SecretBox.load(
                        config.dataDir(), config.security().configuredSecretsKey().orElse(null)),
                    config.targets().backend() == IscsiBackendKind.EMBEDDED
                        ? NodeIdentity.startingNow(name)
                        : NodeIdentity.lastingIn(config.dataDir(), name)),
            false)
        .compose(start -> startWith(start.secrets(), start.node()));
  }

  /** What the start reads from the data directory. */
  private record Start(SecretBox secrets, NodeIdentity node) {}

  private Future<?> startWith(SecretBox secrets, NodeIdentity identity) {
    DiscsConfig config = services.config();
    commands = vertx.createSharedWorkerExecutor("discs-commands", 4, 2, TimeUnit.MINUTES);
    node = TargetNode.assemble(vertx, services, secrets, identity, commands);
    AtomicLong active = new AtomicLong();
    Gauge.builder("discs.targets.active", active, AtomicLong::get)
        .description("targets discs wants")
        .register(services.metrics().registry());
    rounds = new NodeRounds(vertx, node, config.targets().portal().toString(), active);
    return listen(config)
        .compose(
            v ->
                ServiceBindings.bind(
                    vertx,
                    NAME,
                    Addresses.TARGET_SERVICE,
                    TargetService.class,
                    node.service(),
                    services.pool(),
                    services.callers()))
        .compose(
            v ->
                ServiceBindings.binder(vertx, services.callers())
                    .setAddress(Addresses.targetNode(identity.name()))
                    .register(TargetService.class, node.service())
                    .completion())
        .onSuccess(
            v -> {
              LOG.info("target node {} (incarnation {})", identity.name(), identity.incarnation());
              rounds.start(config.targets().reconcileSeconds() * 1000L, presenceIntervalMs(config));
            });
  }

  /** The embedded target's portal, when it is the backend; the others listen by themselves. */
  private Future<Void> listen(DiscsConfig config) {
    if (node.embedded() == null) {
      return Future.succeededFuture();
    }
    return node.embedded()
        .start()
        .onSuccess(
            v ->
                LOG.info(
                    "embedded iSCSI target listening on {} (portal {})",
                    config.targets().listen(),
                    config.targets().portal()))
        .recover(
            failure ->
                Future.failedFuture(
                    new IllegalStateException(
                        "the embedded iSCSI target cannot listen on "
                            + config.targets().listen()
                            + " ("
                            + failure.getMessage()
                            + "); set DISCS_ISCSI_LISTEN and DISCS_ISCSI_PORTAL, "
                            + "or another DISCS_ISCSI_BACKEND")));
  }

  @Override
  public Future<?> stop() {
    if (rounds != null) {
      rounds.stop();
    }
    Future<Void> stopped =
        node == null || node.embedded() == null ? Future.succeededFuture() : node.embedded().stop();
    return stopped
        .compose(v -> commands == null ? Future.succeededFuture() : commands.close())
        .compose(v -> node == null ? Future.succeededFuture() : node.nodes().close())
        .andThen(
            done -> {
              if (node != null) {
                node.close();
              }
            });
  }

  /** Several presences per session lease, so a lost node is noticed within one lease. */
  private static long presenceIntervalMs(DiscsConfig config) {
    return Math.max(1_000L, Math.min(5_000L, config.sessions().leaseSeconds() * 1000L / 3));
  }
}
