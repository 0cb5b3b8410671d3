package io.discs.targets;

import io.discs.platform.Addresses;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.images.BlobLayout;
import io.discs.platform.images.ImageService;
import io.discs.platform.launch.ServiceBindings;
import io.discs.platform.launch.ServiceContext;
import io.discs.platform.targets.TargetService;
import io.discs.targets.backend.IscsiService;
import io.discs.targets.backend.LioBackend;
import io.discs.targets.backend.TgtBackend;
import io.discs.targets.command.CommandRunner;
import io.discs.targets.embedded.iscsi.EmbeddedBackend;
import io.discs.targets.names.IscsiNames;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.serviceproxy.ServiceProxyBuilder;
import java.util.Map;
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
  private long timer = -1;
  private EmbeddedBackend embedded;

  public TargetVerticle(ServiceContext services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    DiscsConfig config = services.config();
    // The key file is blocking work.
    return vertx
        .executeBlocking(
            () ->
                SecretBox.load(
                    config.dataDir(), config.security().configuredSecretsKey().orElse(null)),
            false)
        .compose(this::startWith);
  }

  private Future<?> startWith(SecretBox secrets) {
    DiscsConfig config = services.config();
    commands = vertx.createSharedWorkerExecutor("discs-commands", 4, 2, TimeUnit.MINUTES);
    IscsiService backend = new MeteredIscsiService(backend(config), services.metrics().registry());
    TargetRepository repository = new TargetRepository(services.pool(), secrets);
    IscsiNames names = new IscsiNames(config.targets().iqnAuthority());
    ImageService images =
        new ServiceProxyBuilder(vertx)
            .setAddress(Addresses.IMAGE_SERVICE)
            .build(ImageService.class);
    TargetServiceImpl service =
        new TargetServiceImpl(
            vertx,
            repository,
            backend,
            images,
            names,
            services.events(),
            config.dataDir(),
            config.targets().portal().toString());
    Reconciler reconciler =
        new Reconciler(
            repository,
            backend,
            names,
            service::spec,
            services.events(),
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
                    services.pool()))
        .onSuccess(
            v -> {
              Runnable pass =
                  () ->
                      reconciler
                          .reconcile()
                          .compose(done -> repository.count())
                          .onSuccess(active::set)
                          .onFailure(
                              failure ->
                                  LOG.warn("reconciliation failed: {}", failure.getMessage()));
              pass.run();
              timer =
                  vertx.setPeriodic(config.targets().reconcileSeconds() * 1000L, id -> pass.run());
            });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    Future<Void> stopped = embedded == null ? Future.succeededFuture() : embedded.stop();
    return stopped.compose(v -> commands.close());
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
