package io.discs.images;

import io.discs.images.store.ImageStore;
import io.discs.images.store.LocalImageStore;
import io.discs.images.upload.ImageIngestor;
import io.discs.images.upload.ResumableUploadRows;
import io.discs.images.upload.ResumableUploadService;
import io.discs.images.upload.StagingBuffers;
import io.discs.images.upload.UploadSinks;
import io.discs.platform.Addresses;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.images.BlobLayout;
import io.discs.platform.launch.ServiceContext;
import io.discs.platform.sessions.SessionService;
import io.discs.platform.targets.TargetService;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.serviceproxy.ServiceProxyBuilder;
import java.time.Duration;

/**
 * What one image node is made of, assembled from its configuration: the store, the records, the
 * service, both kinds of upload and the local byte path. Plain construction: nothing is bound,
 * listened on or scheduled until the verticle starts it.
 */
record ImageNode(
    ImageStore store,
    ImageServiceImpl service,
    ImageIngestor ingestor,
    ResumableUploadService resumable,
    LocalImageBlobs blobs) {

  /** How long image-service waits for target-service and session-service ("in use?"). */
  private static final long CALL_MS = 30_000;

  static ImageNode assemble(Vertx vertx, ServiceContext services, WorkerExecutor io) {
    DiscsConfig config = services.config();
    ImageStore store = new LocalImageStore(BlobLayout.imagesRoot(config.dataDir()));
    ImageRepository repository = new ImageRepository(services.pool());
    DeliveryOptions calls = new DeliveryOptions().setSendTimeout(CALL_MS);
    ImageServiceImpl service =
        new ImageServiceImpl(
            vertx,
            repository,
            store,
            services.events(),
            new ServiceProxyBuilder(vertx)
                .setAddress(Addresses.TARGET_SERVICE)
                .setOptions(calls)
                .build(TargetService.class),
            new ServiceProxyBuilder(vertx)
                .setAddress(Addresses.SESSION_SERVICE)
                .setOptions(calls)
                .build(SessionService.class));
    UploadSinks sinks = new UploadSinks(io, new StagingBuffers());
    ImageIngestor ingestor =
        new ImageIngestor(
            vertx,
            io,
            sinks,
            store,
            repository,
            services.events(),
            config.uploads().maxImageBytes(),
            services.metrics().registry());
    ResumableUploadService resumable =
        new ResumableUploadService(
            io,
            sinks,
            store,
            new ResumableUploadRows(services.pool()),
            ingestor,
            services.events(),
            config.uploads().maxImageBytes(),
            Duration.ofHours(config.uploads().expiryHours()),
            services.clock());
    return new ImageNode(
        store, service, ingestor, resumable, new LocalImageBlobs(ingestor, service, store));
  }
}
