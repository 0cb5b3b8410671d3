package io.discs.images.upload;

import io.vertx.core.Future;

/** Where single uploads' bytes go: the local file store or a bucket. */
public interface UploadStore {

  /**
   * A new upload of at most {@code maxBytes}; refused while the service stops.
   *
   * @param declaredSha256 the digest the client announced (the bytes are still checked), or null
   */
  Future<PendingUpload> begin(long maxBytes, String declaredSha256);

  /**
   * For a stopping service: lets go of every upload under way, so a stop leaves nothing behind;
   * those uploads fail. Answers how many.
   */
  Future<Integer> abandonAll();
}
