package io.discs.targets;

import io.discs.platform.Addresses;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.config.StoreConfig;
import io.discs.platform.images.BlobLayout;
import io.discs.platform.images.ImageService;
import io.discs.platform.launch.ServiceContext;
import io.discs.platform.targets.TargetNodes;
import io.discs.platform.targets.TargetService;
import io.discs.targets.backend.IscsiService;
import io.discs.targets.backend.LioBackend;
import io.discs.targets.backend.LioConfigfs;
import io.discs.targets.backend.TgtBackend;
import io.discs.targets.command.CommandRunner;
import io.discs.targets.embedded.iscsi.EmbeddedBackend;
import io.discs.targets.names.IscsiNames;
import io.discs.transfer.s3.S3BlobStore;
import io.discs.transfer.s3.S3Clients;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.serviceproxy.ServiceProxyBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * What one target node is made of, assembled from its configuration: the backend the settings
 * choose, the rows, the service and its reconciler. Plain construction: nothing listens, binds or
 * runs until the verticle starts it.
 *
 * @param embedded the in-JVM target when it is the backend (it listens once started), else null
 */
record TargetNode(
    NodeIdentity identity,
    TargetRows rows,
    IscsiService backend,
    EmbeddedBackend embedded,
    TargetNodes nodes,
    TargetServiceImpl service,
    Reconciler reconciler,
    S3AsyncClient s3) {

  void close() {
    if (s3 != null) {
      s3.close();
    }
  }

  static TargetNode assemble(
      Vertx vertx,
      ServiceContext services,
      SecretBox secrets,
      NodeIdentity node,
      WorkerExecutor commands) {
    DiscsConfig config = services.config();
    EmbeddedBackend embedded =
        switch (config.targets().backend()) {
          case EMBEDDED ->
              new EmbeddedBackend(
                  vertx,
                  config.targets().listen(),
                  config.targets().portal(),
                  services.metrics().registry());
          case TGT, LIO -> null;
        };
    IscsiService backend =
        new MeteredIscsiService(
            embedded != null ? embedded : external(config, commands),
            services.metrics().registry());
    TargetRows rows = new TargetRepository(services.pool(), secrets);
    IscsiNames names = new IscsiNames(config.targets().iqnAuthority());
    TargetNodes nodes =
        TargetNodes.listen(vertx, Duration.ofSeconds(config.sessions().leaseSeconds()));
    ImageService images =
        new ServiceProxyBuilder(vertx)
            .setAddress(Addresses.IMAGE_SERVICE)
            .build(ImageService.class);
    TargetsInFlight inFlight = new TargetsInFlight();
    S3AsyncClient s3 =
        config.store().kind() == StoreConfig.Kind.S3 ? S3Clients.create(config.store().s3()) : null;
    ImageCache cache =
        new ImageCache(
            vertx,
            BlobLayout.imagesRoot(config.dataDir()),
            config.dataDir().resolve("target-cache"),
            config.targets().cacheMaxBytes(),
            services.member(),
            images,
            () ->
                rows.on(node)
                    .map(
                        mine ->
                            mine.stream()
                                .map(TargetRows.StoredTarget::sha256)
                                .filter(java.util.Objects::nonNull)
                                .collect(Collectors.toSet())),
            s3 == null ? null : new S3BlobStore(vertx, s3, config.store().s3().bucket()));
    TargetServiceImpl service =
        new TargetServiceImpl(
            vertx,
            rows,
            backend,
            images,
            names,
            services.events(),
            cache,
            node,
            name -> otherNode(vertx, name),
            nodes,
            inFlight,
            config.deadlines().targetCreation());
    backend
        .discChanger()
        .ifPresent(
            changer -> {
              changer.onEmptied(service::emptied);
              changer.onReloaded(service::reloaded);
            });
    Reconciler reconciler =
        new Reconciler(
            rows,
            node,
            nodes,
            backend,
            names,
            service::recreate,
            services.events(),
            inFlight,
            services.metrics().registry());
    return new TargetNode(node, rows, backend, embedded, nodes, service, reconciler, s3);
  }

  /** A backend outside the JVM, driven through the one {@link CommandRunner}. */
  private static IscsiService external(DiscsConfig config, WorkerExecutor commands) {
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
      case EMBEDDED -> throw new IllegalArgumentException("the embedded backend is not external");
    };
  }

  /** Another target node's own service, for what only that node can do. */
  private static TargetService otherNode(Vertx vertx, String name) {
    return new ServiceProxyBuilder(vertx)
        .setAddress(Addresses.targetNode(name))
        .setOptions(new DeliveryOptions().setSendTimeout(10_000))
        .build(TargetService.class);
  }
}
