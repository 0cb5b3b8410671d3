package io.discs.platform.images;

import io.discs.platform.Caller;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Path;

/**
 * Image bytes in and out, for a gateway in the same process as image-service (see {@link
 * io.discs.platform.LocalServices}): bytes are streamed to and from the store, never carried on the
 * event bus. Failures are {@code ServiceException}s with HTTP status codes.
 */
public interface ImageBlobs {

  /**
   * Streams {@code body} into the store while hashing and inspecting it; the image exists only if
   * every check passed, and nothing is left behind otherwise.
   */
  Future<IngestResult> ingest(ReadStream<Buffer> body, IngestRequest request);

  /** Where an image's bytes are, to be read (they are read-only). */
  Future<BlobLocation> locate(String imageId);

  /**
   * @param expectedSha256 lowercase hex from the client's digest header, or null
   * @param declaredLength the request's Content-Length, or null when chunked
   */
  record IngestRequest(String name, String expectedSha256, Long declaredLength, Caller caller) {}

  /**
   * @param created false when the same bytes were already stored and {@code image} is that one
   */
  record IngestResult(Image image, boolean created) {}

  record BlobLocation(Path path, long sizeBytes, String sha256) {}
}
