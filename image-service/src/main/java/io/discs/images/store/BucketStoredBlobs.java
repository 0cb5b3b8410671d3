package io.discs.images.store;

import io.discs.transfer.s3.S3BlobStore;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;

/** Blobs in a bucket: sent by ranged GETs, a few MiB at a time. */
public final class BucketStoredBlobs implements StoredBlobs {
  private final S3BlobStore bucket;

  public BucketStoredBlobs(S3BlobStore bucket) {
    this.bucket = bucket;
  }

  @Override
  public Future<Void> send(String sha256, long offset, long length, HttpServerResponse response) {
    return bucket.send(sha256, offset, length, response);
  }

  @Override
  public Future<Void> delete(String sha256) {
    return bucket.delete(sha256);
  }
}
