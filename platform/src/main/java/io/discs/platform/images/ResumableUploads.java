package io.discs.platform.images;

import io.discs.platform.Caller;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.time.Instant;

/**
 * Uploads in pieces that survive dropped connections and restarts (the tus protocol's model), for a
 * gateway in the same process as image-service. An upload belongs to the user who created it; to
 * anyone else it does not exist. Failures are {@code ServiceException}s with HTTP status codes.
 */
public interface ResumableUploads {

  Future<UploadState> create(NewUpload request);

  Future<UploadState> state(String id, Caller caller);

  /**
   * Appends {@code body} at {@code chunk.offset()}, which must be where the upload stands. The
   * bytes that arrived before a client went away are kept; with a chunk checksum, only a chunk that
   * matches it is. When the last byte arrives the image is made as a single upload would be.
   */
  Future<Appended> append(String id, Chunk chunk, ReadStream<Buffer> body, Caller caller);

  /** Removes the upload and its bytes. */
  Future<Void> terminate(String id, Caller caller);

  /**
   * @param expectedSha256 lowercase hex the finished image must hash to, or null
   */
  record NewUpload(String name, long length, String expectedSha256, Caller caller) {}

  /**
   * @param offset the bytes received so far
   * @param imageId the image made of it, once complete; null before
   */
  record UploadState(
      String id, String name, long length, long offset, Instant expiresAt, String imageId) {
    public boolean complete() {
      return imageId != null;
    }
  }

  /**
   * @param declaredLength the request's Content-Length, or null when chunked
   * @param sha256 the SHA-256 the client computed over this chunk, or null
   */
  record Chunk(long offset, Long declaredLength, byte[] sha256) {}

  /**
   * @param image the image, when this chunk completed the upload; null otherwise
   */
  record Appended(UploadState state, ImageBlobs.IngestResult image) {}
}
