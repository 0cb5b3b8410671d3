package io.discs.images.upload;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Opens {@link UploadSink}s on one image-service's workers and staging buffers, for single and
 * resumable uploads alike.
 */
public final class UploadSinks {
  private final WorkerExecutor io;
  private final StagingBuffers staging;

  public UploadSinks(WorkerExecutor io, StagingBuffers staging) {
    this.io = io;
    this.staging = staging;
  }

  /** A whole upload into its (already created) temporary file. */
  Future<UploadSink> open(Path file, long maxBytes) {
    return UploadSink.open(io, staging, file, maxBytes);
  }

  /** A resumable upload's next chunk, appended at {@code offset}. */
  Future<UploadSink> append(
      Path file, long offset, MessageDigest sha256, boolean checkChunk, long maxBytes) {
    return UploadSink.append(io, staging, file, offset, sha256, checkChunk, maxBytes);
  }
}
