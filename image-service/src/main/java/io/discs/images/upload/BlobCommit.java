package io.discs.images.upload;

import io.vertx.core.Future;

/** A complete, hashed upload's bytes, waiting to be kept under their digest or dropped. */
public interface BlobCommit {

  /** Puts the bytes in the store under {@code sha256} (once: the same bytes stay as they are). */
  Future<Void> keep(String sha256);

  /** Lets the bytes go: nothing of them stays. */
  Future<Void> drop();
}
