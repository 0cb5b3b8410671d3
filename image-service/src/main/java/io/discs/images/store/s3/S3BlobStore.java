package io.discs.images.store.s3;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Images in an S3 bucket, addressed by content: a blob is the object {@code sha256/<hex>}, written
 * once and never overwritten. An upload streams into a staging multipart upload ({@code
 * uploads/<id>}) while discs hashes it, since its digest, and so its name, is known only at the
 * end; it is then copied into place by the service itself with {@code If-None-Match: *}, so that
 * two uploads of the same bytes store them once ({@link StagedBlob}). Every call is asynchronous
 * and answers on the caller's Vert.x context.
 */
public final class S3BlobStore {
  static final String BLOBS = "sha256/";
  static final String STAGING = "uploads/";

  private final Vertx vertx;
  private final S3AsyncClient s3;
  private final String bucket;

  public S3BlobStore(Vertx vertx, S3AsyncClient s3, String bucket) {
    this.vertx = vertx;
    this.s3 = s3;
    this.bucket = bucket;
  }

  public static String key(String sha256) {
    return BLOBS + sha256;
  }

  /** Makes the bucket if it is not there (a first start against an empty service). */
  public Future<Void> ensureBucket() {
    return on(
        s3.headBucket(b -> b.bucket(bucket))
            .<Void>thenApply(head -> null)
            .exceptionallyCompose(
                missing ->
                    s3.createBucket(b -> b.bucket(bucket))
                        .<Void>thenApply(created -> null)
                        .exceptionally(
                            raced -> {
                              if (cause(raced) instanceof BucketAlreadyOwnedByYouException) {
                                return null;
                              }
                              throw new CompletionException(cause(raced));
                            })));
  }

  /** A new upload's staging, to be committed under its digest or aborted. */
  public Future<StagedBlob> begin() {
    String staging = STAGING + UUID.randomUUID();
    return on(
        s3.createMultipartUpload(b -> b.bucket(bucket).key(staging))
            .thenApply(created -> new StagedBlob(this, staging, created.uploadId())));
  }

  /** The blob's size, if it is stored. */
  public Future<Long> size(String sha256) {
    return on(
        s3.headObject(b -> b.bucket(bucket).key(key(sha256)))
            .thenApply(HeadObjectResponse::contentLength)
            .exceptionally(
                failure -> {
                  if (notFound(failure)) {
                    return null;
                  }
                  throw new CompletionException(cause(failure));
                }));
  }

  /** {@code length} bytes of the blob from {@code offset} (a ranged GET; a few MiB at a time). */
  public Future<Buffer> range(String sha256, long offset, int length) {
    return on(
        s3.getObject(
                b ->
                    b.bucket(bucket)
                        .key(key(sha256))
                        .range("bytes=" + offset + "-" + (offset + length - 1)),
                AsyncResponseTransformer.toBytes())
            .thenApply(bytes -> Buffer.buffer(bytes.asByteArray())));
  }

  public Future<Void> delete(String sha256) {
    return on(s3.deleteObject(b -> b.bucket(bucket).key(key(sha256))).thenApply(done -> null));
  }

  /** The digests of every stored blob. */
  public Future<List<String>> list() {
    List<String> digests = new ArrayList<>();
    return on(
        s3.listObjectsV2Paginator(
                ListObjectsV2Request.builder().bucket(bucket).prefix(BLOBS).build())
            .contents()
            .subscribe(object -> digests.add(object.key().substring(BLOBS.length())))
            .thenApply(done -> List.copyOf(digests)));
  }

  /**
   * Aborts the staging uploads left by a process that died mid-upload (begun more than {@code
   * olderThan} ago) and removes staged objects it never copied into place; answers how many.
   */
  public Future<Integer> sweepStaging(Duration olderThan) {
    Instant before = Instant.now().minus(olderThan);
    List<CompletableFuture<?>> removals = new ArrayList<>();
    return on(
        s3.listMultipartUploadsPaginator(b -> b.bucket(bucket).prefix(STAGING))
            .uploads()
            .subscribe(
                upload -> {
                  if (upload.initiated() == null || upload.initiated().isBefore(before)) {
                    removals.add(abortUpload(upload));
                  }
                })
            .thenCompose(
                done ->
                    s3.listObjectsV2Paginator(
                            ListObjectsV2Request.builder().bucket(bucket).prefix(STAGING).build())
                        .contents()
                        .subscribe(
                            object -> {
                              if (object.lastModified().isBefore(before)) {
                                removals.add(deleteKey(object.key()));
                              }
                            }))
            .thenCompose(
                done ->
                    CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new))
                        .thenApply(all -> removals.size())));
  }

  private CompletableFuture<?> abortUpload(MultipartUpload upload) {
    return s3.abortMultipartUpload(
        b -> b.bucket(bucket).key(upload.key()).uploadId(upload.uploadId()));
  }

  CompletableFuture<?> deleteKey(String key) {
    return s3.deleteObject(b -> b.bucket(bucket).key(key));
  }

  S3AsyncClient client() {
    return s3;
  }

  String bucket() {
    return bucket;
  }

  /** The SDK's future, completed on the caller's context rather than the SDK's threads. */
  <T> Future<T> on(CompletableFuture<T> work) {
    Context context = Vertx.currentContext();
    return Future.fromCompletionStage(
        work.exceptionallyCompose(failure -> CompletableFuture.failedFuture(cause(failure))),
        context != null ? context : vertx.getOrCreateContext());
  }

  static Throwable cause(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static boolean notFound(Throwable failure) {
    Throwable t = cause(failure);
    return t instanceof NoSuchKeyException || t instanceof S3Exception e && e.statusCode() == 404;
  }
}
