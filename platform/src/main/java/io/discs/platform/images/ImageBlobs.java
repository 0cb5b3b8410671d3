package io.discs.platform.images;

import io.discs.platform.Caller;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;

/**
 * Image bytes in and out, for a gateway: image-service in the same process (see {@link
 * io.discs.platform.LocalServices}) or an image node's internal listener. Bytes are streamed to and
 * from the store, never carried on the event bus. Failures are {@code ServiceException}s with HTTP
 * status codes.
 */
public interface ImageBlobs {

  /**
   * Streams {@code body} into the store while hashing and inspecting it; the image exists only if
   * every check passed, and nothing is left behind otherwise.
   */
  Future<IngestResult> ingest(ReadStream<Buffer> body, IngestRequest request);

  /** Which bytes an image is: its size and digest (they never change). */
  Future<BlobLocation> locate(String imageId);

  /**
   * Sends {@code length} bytes of the image from {@code offset} as the response's body and ends it;
   * the caller has set the status and headers.
   */
  Future<Void> send(BlobLocation blob, long offset, long length, HttpServerResponse response);

  /**
   * @param expectedSha256 lowercase hex from the client's digest header, or null
   * @param declaredLength the request's Content-Length, or null when chunked
   */
  record IngestRequest(String name, String expectedSha256, Long declaredLength, Caller caller) {}

  /**
   * @param created false when the same bytes were already stored and {@code image} is that one
   */
  record IngestResult(Image image, boolean created) {}

  record BlobLocation(long sizeBytes, String sha256) {
    public static BlobLocation of(Image image) {
      return new BlobLocation(image.getSizeBytes(), image.getSha256());
    }
  }
}
