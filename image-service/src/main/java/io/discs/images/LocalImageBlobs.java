package io.discs.images;

import io.discs.images.store.StoredBlobs;
import io.discs.images.upload.ImageIngestor;
import io.discs.platform.images.ImageBlobs;
import io.discs.platform.images.ImageService;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;

/**
 * {@link ImageBlobs} for a gateway in this process: uploads through the ingestor, reads from the
 * store.
 */
final class LocalImageBlobs implements ImageBlobs {
  private final ImageIngestor ingestor;
  private final ImageService images;
  private final StoredBlobs stored;

  LocalImageBlobs(ImageIngestor ingestor, ImageService images, StoredBlobs stored) {
    this.ingestor = ingestor;
    this.images = images;
    this.stored = stored;
  }

  @Override
  public Future<IngestResult> ingest(ReadStream<Buffer> body, IngestRequest request) {
    return ingestor.ingest(body, request);
  }

  @Override
  public Future<BlobLocation> locate(String imageId) {
    return images.get(imageId).map(BlobLocation::of);
  }

  @Override
  public Future<Void> send(
      BlobLocation blob, long offset, long length, HttpServerResponse response) {
    return stored.send(blob.sha256(), offset, length, response);
  }
}
