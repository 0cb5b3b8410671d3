package io.discs.images;

import io.discs.images.store.ImageStore;
import io.discs.images.upload.ImageIngestor;
import io.discs.images.upload.ResumableUploadService;
import io.discs.platform.Addresses;
import io.discs.platform.LocalServices;
import io.discs.platform.config.ClusterConfig;
import io.discs.platform.images.BlobLayout;
import io.discs.platform.images.ImageBlobs;
import io.discs.platform.images.ImageService;
import io.discs.platform.images.ResumableUploads;
import io.discs.platform.launch.ServiceBindings;
import io.discs.platform.launch.ServiceContext;
import io.discs.transfer.listener.InternalListener;
import io.discs.transfer.tap.LentBytes;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * image-service's front door: binds {@link ImageService} on the event bus and offers {@link
 * ImageBlobs} to a gateway in the same process, after clearing what interrupted uploads left.
 */
public final class ImageVerticle extends VerticleBase {
  public static final String NAME = "image-service";
  private static final Logger LOG = LoggerFactory.getLogger(ImageVerticle.class);

  /** How often expired resumable uploads are looked for; expiry is counted in hours. */
  private static final long SWEEP_EVERY_MS = 10 * 60_000;

  private final ServiceContext services;
  private WorkerExecutor io;
  private ImageIngestor ingestor;
  private long storeSpaceTimer = -1;
  private long sweepTimer = -1;
  private ResumableUploadService resumable;
  private InternalListener internalListener;
  private ImageNode node;
  private final AtomicLong storeUsableBytes = new AtomicLong(-1);

  public ImageVerticle(ServiceContext services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    io = vertx.createSharedWorkerExecutor("discs-image-io", 4);
    node = ImageNode.assemble(vertx, services, io);
    ImageStore store = node.store();
    ingestor = node.ingestor();
    resumable = node.resumable();
    Path imagesRoot = BlobLayout.imagesRoot(services.config().dataDir());
    Gauge.builder("discs.image.store.usable.bytes", storeUsableBytes, AtomicLong::get)
        .description("bytes left for images on the store's file system")
        .baseUnit("bytes")
        .register(services.metrics().registry());
    LentBytes.of(vertx).registerIn(services.metrics().registry());
    // A statfs per scrape would run on an event loop: the worker looks every 30 s instead.
    storeSpaceTimer = vertx.setPeriodic(1, 30_000, id -> measureStore(imagesRoot));
    return node.prepare()
        .compose(prepared -> vertx.executeBlocking(store::removeLeftovers, false))
        .onSuccess(
            removed -> {
              if (removed > 0) {
                LOG.info("removed {} temporary files left by interrupted uploads", removed);
              }
            })
        .compose(removed -> sweepUploads())
        .compose(
            removed ->
                ServiceBindings.bind(
                    vertx,
                    NAME,
                    Addresses.IMAGE_SERVICE,
                    ImageService.class,
                    node.service(),
                    services.pool(),
                    services.callers()))
        .compose(
            v -> {
              LocalServices local = LocalServices.of(vertx);
              local.register(ImageBlobs.class, node.blobs());
              local.register(ResumableUploads.class, resumable);
              sweepTimer = vertx.setPeriodic(SWEEP_EVERY_MS, id -> sweepUploads());
              return startInternalListener(node.blobs(), resumable);
            });
  }

  /** Gateways on other nodes stream uploads to this node here, when it is configured. */
  private Future<Void> startInternalListener(ImageBlobs blobs, ResumableUploads resumable) {
    ClusterConfig cluster = services.config().cluster();
    if (cluster.internalListen() == null) {
      return Future.succeededFuture();
    }
    return InternalListener.start(
            vertx,
            cluster.internalListen(),
            cluster.advertisedInternalListen(),
            services.member(),
            services.callers(),
            services.config().uploads().idleSeconds(),
            blobs,
            resumable)
        .onSuccess(listener -> internalListener = listener)
        .mapEmpty();
  }

  private Future<Integer> sweepUploads() {
    return resumable
        .sweep()
        .onSuccess(
            removed -> {
              if (removed > 0) {
                LOG.info("removed {} expired or abandoned resumable uploads", removed);
              }
            })
        .onFailure(e -> LOG.warn("sweeping resumable uploads failed: {}", e.getMessage()))
        .recover(e -> Future.succeededFuture(0));
  }

  private void measureStore(Path imagesRoot) {
    io.executeBlocking(
            () -> {
              Files.createDirectories(imagesRoot);
              return Files.getFileStore(imagesRoot).getUsableSpace();
            },
            false)
        .onSuccess(storeUsableBytes::set)
        .onFailure(e -> LOG.warn("cannot measure the image store: {}", e.getMessage()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(storeSpaceTimer);
    vertx.cancelTimer(sweepTimer);
    LocalServices local = LocalServices.of(vertx);
    local.unregister(ImageBlobs.class);
    local.unregister(ResumableUploads.class);
    Future<Void> listenerStopped =
        internalListener == null ? Future.succeededFuture() : internalListener.stop();
    Future<Integer> abandoned =
        listenerStopped.transform(
            stopped -> ingestor == null ? Future.succeededFuture(0) : ingestor.abandonAll());
    return abandoned
        .onSuccess(
            removed -> {
              if (removed > 0) {
                LOG.info("stopping: removed {} temporary files of uploads under way", removed);
              }
            })
        .transform(done -> io == null ? Future.succeededFuture() : io.close())
        .andThen(
            done -> {
              if (node != null) {
                node.close();
              }
            });
  }
}
