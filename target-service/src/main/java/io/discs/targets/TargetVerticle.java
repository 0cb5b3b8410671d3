package io.discs.targets;

import io.discs.platform.Addresses;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.config.IscsiBackendKind;
import io.discs.platform.images.BlobLayout;
import io.discs.platform.images.ImageService;
import io.discs.platform.launch.ServiceBindings;
import io.discs.platform.launch.ServiceContext;
import io.discs.platform.targets.NodePresence;
import io.discs.platform.targets.TargetNodes;
import io.discs.platform.targets.TargetService;
import io.discs.targets.backend.IscsiService;
import io.discs.targets.backend.LioBackend;
import io.discs.targets.backend.LioConfigfs;
import io.discs.targets.backend.TgtBackend;
import io.discs.targets.command.CommandRunner;
import io.discs.targets.embedded.iscsi.EmbeddedBackend;
import io.discs.targets.names.IscsiNames;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.serviceproxy.ServiceProxyBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** target-service's front door: picks the backend, binds {@link TargetService}, reconciles. */
public final class TargetVerticle extends VerticleBase {
  public static final String NAME = "target-service";
  private static final Logger LOG = LoggerFactory.getLogger(TargetVerticle.class);

  private final ServiceContext services;
  private WorkerExecutor commands;
  private long timer = -1;
  private long presenceTimer = -1;
  private TargetNodes nodes;
  private EmbeddedBackend embedded;

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

  private Future<?> startWith(SecretBox secrets, NodeIdentity node) {
    DiscsConfig config = services.config();
    commands = vertx.createSharedWorkerExecutor("discs-commands", 4, 2, TimeUnit.MINUTES);
    IscsiService backend = new MeteredIscsiService(backend(config), services.metrics().registry());
    TargetRepository repository = new TargetRepository(services.pool(), secrets);
    IscsiNames names = new IscsiNames(config.targets().iqnAuthority());
    nodes = TargetNodes.listen(vertx, Duration.ofSeconds(config.sessions().leaseSeconds()));
    ImageService images =
        new ServiceProxyBuilder(vertx)
            .setAddress(Addresses.IMAGE_SERVICE)
            .build(ImageService.class);
    TargetsInFlight inFlight = new TargetsInFlight();
    TargetServiceImpl service =
        new TargetServiceImpl(
            vertx,
            repository,
            backend,
            images,
            names,
            services.events(),
            new ImageCache(
                vertx,
                BlobLayout.imagesRoot(config.dataDir()),
                config.dataDir().resolve("target-cache"),
                config.targets().cacheMaxBytes(),
                services.member(),
                images,
                () ->
                    repository
                        .on(node)
                        .map(
                            rows ->
                                rows.stream()
                                    .map(TargetRepository.StoredTarget::sha256)
                                    .collect(Collectors.toSet()))),
            node,
            this::nodeService,
            nodes,
            inFlight,
            config.deadlines().targetCreation());
    Reconciler reconciler =
        new Reconciler(
            repository,
            node,
            nodes,
            backend,
            names,
            service::spec,
            services.events(),
            inFlight,
            services.metrics().registry());
    AtomicLong active = new AtomicLong();
    Gauge.builder("discs.targets.active", active, AtomicLong::get)
        .description("targets discs wants")
        .register(services.metrics().registry());
    Future<Void> listening =
        embedded == null
            ? Future.succeededFuture()
            : embedded
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
    return listening
        .compose(
            v ->
                ServiceBindings.bind(
                    vertx,
                    NAME,
                    Addresses.TARGET_SERVICE,
                    TargetService.class,
                    service,
                    services.pool(),
                    services.callers()))
        .compose(
            v ->
                ServiceBindings.binder(vertx, services.callers())
                    .setAddress(Addresses.targetNode(node.name()))
                    .register(TargetService.class, service)
                    .completion())
        .onSuccess(
            v -> {
              LOG.info("target node {} (incarnation {})", node.name(), node.incarnation());
              Runnable announce =
                  () ->
                      vertx
                          .eventBus()
                          .publish(
                              Addresses.TARGET_NODES,
                              new NodePresence(
                                      node.name(),
                                      node.incarnation().toString(),
                                      config.targets().portal().toString(),
                                      active.get())
                                  .toJson());
              Runnable pass =
                  () ->
                      reconciler
                          .reconcile()
                          .compose(done -> repository.countOn(node))
                          .onSuccess(active::set)
                          .onComplete(done -> announce.run())
                          .onFailure(
                              failure ->
                                  LOG.warn("reconciliation failed: {}", failure.getMessage()));
              pass.run();
              timer =
                  vertx.setPeriodic(config.targets().reconcileSeconds() * 1000L, id -> pass.run());
              presenceTimer =
                  vertx.setPeriodic(
                      presenceIntervalMs(config),
                      id ->
                          repository
                              .countOn(node)
                              .onSuccess(active::set)
                              .onComplete(done -> announce.run()));
            });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    vertx.cancelTimer(presenceTimer);
    Future<Void> stopped = embedded == null ? Future.succeededFuture() : embedded.stop();
    return stopped.compose(v -> commands.close()).compose(v -> nodes.close());
  }

  /** Several presences per session lease, so a lost node is noticed within one lease. */
  private static long presenceIntervalMs(DiscsConfig config) {
    return Math.max(1_000L, Math.min(5_000L, config.sessions().leaseSeconds() * 1000L / 3));
  }

  /** Another target node's own service, for what only that node can do. */
  private TargetService nodeService(String name) {
    return new ServiceProxyBuilder(vertx)
        .setAddress(Addresses.targetNode(name))
        .setOptions(new DeliveryOptions().setSendTimeout(10_000))
        .build(TargetService.class);
  }

  private IscsiService backend(DiscsConfig config) {
    return switch (config.targets().backend()) {
      case TGT ->
          new TgtBackend(
              CommandRunner.create(commands, Map.of("tgtadm", "tgtadm")),
              config.targets().tgtControlPort(),
              BlobLayout.imagesRoot(config.dataDir()));
      case LIO ->
          new LioBackend(
              CommandRunner.create(commands, Map.of("targetcli", "targetcli")),
              new LioConfigfs(LioConfigfs.DEFAULT_ROOT, commands),
              BlobLayout.imagesRoot(config.dataDir()),
              config.targets().listen());
      case EMBEDDED -> embeddedBackend(config);
    };
  }

  /** The in-JVM target, kept to be started (it listens) once the service is bound. */
  private EmbeddedBackend embeddedBackend(DiscsConfig config) {
    embedded =
        new EmbeddedBackend(
            vertx,
            config.targets().listen(),
            config.targets().portal(),
            services.metrics().registry());
    return embedded;
  }
}
