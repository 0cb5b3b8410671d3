package io.discs.images;

import io.discs.images.store.ImageStore;
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
  private final ImageStore store;

  LocalImageBlobs(ImageIngestor ingestor, ImageService images, ImageStore store) {
    this.ingestor = ingestor;
    this.images = images;
    this.store = store;
  }

  @Override
  public Future<IngestResult> ingest(ReadStream<Buffer> body, IngestRequest request) {
    return ingestor.ingest(body, request);
  }

  @Override
  public Future<BlobLocation> locate(String imageId) {
    return images.get(imageId).map(BlobLocation::of);
  }

  /** The kernel copies the file to the socket (sendfile) when nothing sits between them. */
  @Override
  public Future<Void> send(
      BlobLocation blob, long offset, long length, HttpServerResponse response) {
    return response.sendFile(store.pathFor(blob.sha256()).toString(), offset, length);
  }
}
