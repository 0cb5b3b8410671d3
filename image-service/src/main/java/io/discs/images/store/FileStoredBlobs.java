package io.discs.images.store;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServerResponse;

/** Blobs in the local file store: sent from the file by the kernel (sendfile). */
public final class FileStoredBlobs implements StoredBlobs {
  private final WorkerExecutor io;
  private final ImageStore store;

  public FileStoredBlobs(WorkerExecutor io, ImageStore store) {
    this.io = io;
    this.store = store;
  }

  @Override
  public Future<Void> send(String sha256, long offset, long length, HttpServerResponse response) {
    return response.sendFile(store.pathFor(sha256).toString(), offset, length);
  }

  @Override
  public Future<Void> delete(String sha256) {
    return io.executeBlocking(
        () -> {
          store.delete(sha256);
          return null;
        },
        false);
  }
}
