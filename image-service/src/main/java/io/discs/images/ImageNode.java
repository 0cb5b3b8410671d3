package io.discs.images;

import io.discs.images.store.BucketStoredBlobs;
import io.discs.images.store.FileStoredBlobs;
import io.discs.images.store.ImageStore;
import io.discs.images.store.LocalImageStore;
import io.discs.images.store.StoredBlobs;
import io.discs.images.upload.BucketResumableBytes;
import io.discs.images.upload.FileResumableBytes;
import io.discs.images.upload.FileUploadStore;
import io.discs.images.upload.ImageIngestor;
import io.discs.images.upload.ResumableBytes;
import io.discs.images.upload.ResumableUploadRows;
import io.discs.images.upload.ResumableUploadService;
import io.discs.images.upload.S3UploadStore;
import io.discs.images.upload.StagingBuffers;
import io.discs.images.upload.UploadSinks;
import io.discs.images.upload.UploadStore;
import io.discs.platform.Addresses;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.config.StoreConfig;
import io.discs.platform.images.BlobLayout;
import io.discs.platform.launch.ServiceContext;
import io.discs.platform.sessions.SessionService;
import io.discs.platform.targets.TargetService;
import io.discs.transfer.s3.S3BlobStore;
import io.discs.transfer.s3.S3Clients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.serviceproxy.ServiceProxyBuilder;
import java.time.Duration;
import software.amazon.awssdk.services.s3.S3AsyncClient;

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
    LocalImageBlobs blobs,
    S3BlobStore bucket,
    S3AsyncClient s3) {

  /** How old a staging upload in the bucket must be to be taken for a dead process's. */
  private static final Duration STAGING_ABANDONED_AFTER = Duration.ofHours(24);

  /** Before the service is bound: the bucket exists, and what dead processes left is swept. */
  Future<Void> prepare() {
    if (bucket == null) {
      return Future.succeededFuture();
    }
    return bucket
        .ensureBucket()
        .compose(v -> bucket.sweepStaging(STAGING_ABANDONED_AFTER))
        .mapEmpty();
  }

  void close() {
    if (s3 != null) {
      s3.close();
    }
  }

  /** How long image-service waits for target-service and session-service ("in use?"). */
  private static final long CALL_MS = 30_000;

  static ImageNode assemble(Vertx vertx, ServiceContext services, WorkerExecutor io) {
    DiscsConfig config = services.config();
    ImageStore store = new LocalImageStore(BlobLayout.imagesRoot(config.dataDir()));
    ImageRepository repository = new ImageRepository(services.pool());
    DeliveryOptions calls = new DeliveryOptions().setSendTimeout(CALL_MS);
    S3AsyncClient s3 = null;
    S3BlobStore bucket = null;
    StoredBlobs stored;
    UploadStore uploads;
    ResumableBytes resumableBytes;
    UploadSinks sinks = new UploadSinks(io, new StagingBuffers());
    if (config.store().kind() == StoreConfig.Kind.S3) {
      s3 = S3Clients.create(config.store().s3());
      bucket = new S3BlobStore(vertx, s3, config.store().s3().bucket());
      S3UploadStore inBucket = new S3UploadStore(io, bucket);
      stored = new BucketStoredBlobs(bucket);
      uploads = inBucket;
      resumableBytes = new BucketResumableBytes(io, bucket);
    } else {
      FileUploadStore onDisk = new FileUploadStore(io, store, sinks);
      stored = new FileStoredBlobs(io, store);
      uploads = onDisk;
      resumableBytes = new FileResumableBytes(io, store, sinks, onDisk);
    }
    ImageServiceImpl service =
        new ImageServiceImpl(
            vertx,
            repository,
            stored,
            services.events(),
            new ServiceProxyBuilder(vertx)
                .setAddress(Addresses.TARGET_SERVICE)
                .setOptions(calls)
                .build(TargetService.class),
            new ServiceProxyBuilder(vertx)
                .setAddress(Addresses.SESSION_SERVICE)
                .setOptions(calls)
                .build(SessionService.class));
    ImageIngestor ingestor =
        new ImageIngestor(
            vertx,
            uploads,
            repository,
            services.events(),
            config.uploads().maxImageBytes(),
            services.metrics().registry());
    ResumableUploadService resumable =
        new ResumableUploadService(
            resumableBytes,
            new ResumableUploadRows(services.pool()),
            ingestor,
            services.events(),
            config.uploads().maxImageBytes(),
            Duration.ofHours(config.uploads().expiryHours()),
            services.clock());
    return new ImageNode(
        store,
        service,
        ingestor,
        resumable,
        new LocalImageBlobs(ingestor, service, stored),
        bucket,
        s3);
  }
}
