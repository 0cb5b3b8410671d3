package io.discs.images.store;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;

/** The stored images' bytes, by digest, as readers and deletions see them (file or bucket). */
public interface StoredBlobs {

  /** Sends {@code length} bytes from {@code offset} as the response's body and ends it. */
  Future<Void> send(String sha256, long offset, long length, HttpServerResponse response);

  Future<Void> delete(String sha256);
}
