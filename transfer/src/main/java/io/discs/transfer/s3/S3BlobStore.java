package io.discs.transfer.s3;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.CompletedPart;
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

  private static final int PRECONDITION_FAILED = 412;

  /** One ranged GET's size: a few MiB, so a slow one costs little and memory stays bounded. */
  static final int RANGE_BYTES = 4 << 20;

  /** Ranged GETs at once while a target node fills its cache. */
  static final int FETCH_IN_FLIGHT = 4;

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

  /**
   * A new upload; when its client named the digest, its parts go straight to {@code sha256/<hex>},
   * completed only if the bytes hash to it (no copy afterwards).
   *
   * @param declaredSha256 the digest the client announced, or null
   */
  public Future<StagedBlob> begin(String declaredSha256) {
    String key = declaredSha256 == null ? STAGING + UUID.randomUUID() : key(declaredSha256);
    return on(
        s3.createMultipartUpload(b -> b.bucket(bucket).key(key))
            .thenApply(created -> new StagedBlob(this, key, created.uploadId(), declaredSha256)));
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
    return rangeOf(key(sha256), offset, length).map(Buffer::buffer);
  }

  /** {@code length} bytes of the object {@code key} from {@code offset}, as they arrive. */
  public Future<byte[]> rangeOf(String key, long offset, int length) {
    return on(
        s3.getObject(
                b ->
                    b.bucket(bucket)
                        .key(key)
                        .range("bytes=" + offset + "-" + (offset + length - 1)),
                AsyncResponseTransformer.toBytes())
            .thenApply(bytes -> bytes.asByteArrayUnsafe()));
  }

  /**
   * Writes the object {@code key} with {@code length} bytes of {@code bytes}, as they are (no copy:
   * the array must not change until the future completes).
   */
  public Future<Void> put(String key, byte[] bytes, int length) {
    return on(
        s3.putObject(
                b -> b.bucket(bucket).key(key).contentLength((long) length),
                AsyncRequestBody.fromByteBufferUnsafe(ByteBuffer.wrap(bytes, 0, length)))
            .thenApply(done -> null));
  }

  /**
   * Puts the objects {@code pieces}, in order, together under {@code sha256} by copies inside the
   * service (every piece but the last at least S3's 5 MiB part minimum), once: true if the blob is
   * now stored from them, false if the same bytes were stored already. The pieces stay.
   */
  public Future<Boolean> assemble(List<String> pieces, String sha256) {
    String key = key(sha256);
    return on(
        s3.createMultipartUpload(b -> b.bucket(bucket).key(key))
            .thenCompose(
                created -> {
                  List<CompletableFuture<CompletedPart>> copies = new ArrayList<>();
                  for (int i = 0; i < pieces.size(); i++) {
                    int number = i + 1;
                    String source = pieces.get(i);
                    copies.add(
                        s3.uploadPartCopy(
                                b ->
                                    b.sourceBucket(bucket)
                                        .sourceKey(source)
                                        .destinationBucket(bucket)
                                        .destinationKey(key)
                                        .uploadId(created.uploadId())
                                        .partNumber(number))
                            .thenApply(
                                r ->
                                    CompletedPart.builder()
                                        .partNumber(number)
                                        .eTag(r.copyPartResult().eTag())
                                        .build()));
                  }
                  return CompletableFuture.allOf(copies.toArray(CompletableFuture[]::new))
                      .thenCompose(
                          all ->
                              completeOnce(
                                  key,
                                  created.uploadId(),
                                  copies.stream().map(CompletableFuture::join).toList()))
                      .exceptionallyCompose(
                          failure ->
                              abortUpload(key, created.uploadId())
                                  .handle(
                                      (aborted, ignored) -> {
                                        throw new CompletionException(cause(failure));
                                      }));
                }));
  }

  /**
   * Completes the multipart upload of {@code key} unless the key exists ({@code If-None-Match: *}):
   * true when these bytes are now stored, false when the same bytes were (this upload is then
   * aborted). Any other failure aborts it too.
   */
  CompletableFuture<Boolean> completeOnce(String key, String id, List<CompletedPart> completed) {
    return s3.completeMultipartUpload(
            b ->
                b.bucket(bucket)
                    .key(key)
                    .uploadId(id)
                    .ifNoneMatch("*")
                    .multipartUpload(m -> m.parts(completed)))
        .thenApply(done -> true)
        .exceptionallyCompose(
            failure -> {
              Throwable cause = cause(failure);
              CompletableFuture<?> aborted = abortUpload(key, id);
              if (cause instanceof S3Exception e && e.statusCode() == PRECONDITION_FAILED) {
                return aborted.handle((a, f) -> false);
              }
              return aborted.handle(
                  (a, f) -> {
                    throw new CompletionException(cause);
                  });
            });
  }

  /** Removes every object whose key starts with {@code prefix}; answers how many. */
  public Future<Integer> deleteUnder(String prefix) {
    List<CompletableFuture<?>> removals = new ArrayList<>();
    return on(
        s3.listObjectsV2Paginator(
                ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())
            .contents()
            .subscribe(object -> removals.add(deleteKey(object.key())))
            .thenCompose(
                done ->
                    CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new))
                        .thenApply(all -> removals.size())));
  }

  /**
   * The names one level below {@code prefix} (which ends in {@code /}) that have objects: the
   * folders, as a listing with a delimiter shows them.
   */
  public Future<List<String>> foldersUnder(String prefix) {
    List<String> names = new ArrayList<>();
    return on(
        s3.listObjectsV2Paginator(
                ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).delimiter("/").build())
            .commonPrefixes()
            .subscribe(
                folder -> {
                  String name = folder.prefix().substring(prefix.length());
                  names.add(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
                })
            .thenApply(done -> List.copyOf(names)));
  }

  /**
   * Sends {@code length} bytes of the blob from {@code offset} as the response's body and ends it,
   * a ranged GET of {@link #RANGE_BYTES} at a time, the next asked for while one is written and
   * none while the response cannot take more.
   */
  public Future<Void> send(String sha256, long offset, long length, HttpServerResponse response) {
    if (!response.headWritten()) {
      response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(length));
    }
    return sendFrom(sha256, offset, offset + length, response).compose(v -> response.end());
  }

  private Future<Void> sendFrom(String sha256, long at, long end, HttpServerResponse response) {
    if (at >= end) {
      return Future.succeededFuture();
    }
    int take = (int) Math.min(RANGE_BYTES, end - at);
    return range(sha256, at, take)
        .compose(bytes -> response.write(bytes))
        .compose(written -> drained(response))
        .compose(v -> sendFrom(sha256, at + take, end, response));
  }

  private static Future<Void> drained(HttpServerResponse response) {
    if (!response.writeQueueFull()) {
      return Future.succeededFuture();
    }
    Promise<Void> room = Promise.promise();
    response.drainHandler(v -> room.tryComplete());
    response.exceptionHandler(room::tryFail);
    return room.future();
  }

  /**
   * Writes the whole blob of {@code size} bytes into {@code file} from position 0, {@link
   * #FETCH_IN_FLIGHT} ranged GETs at a time (a target node filling its cache).
   */
  public Future<Void> fetch(String sha256, long size, AsyncFile file) {
    Promise<Void> done = Promise.promise();
    new Fetch(sha256, size, file, done).next();
    return done.future();
  }

  /** The ranges of one fetch: asked for a few at a time, each written where it belongs. */
  private final class Fetch {
    private final String sha256;
    private final long size;
    private final AsyncFile file;
    private final Promise<Void> done;
    private long asked;
    private int inFlight;

    Fetch(String sha256, long size, AsyncFile file, Promise<Void> done) {
      this.sha256 = sha256;
      this.size = size;
      this.file = file;
      this.done = done;
    }

    void next() {
      while (inFlight < FETCH_IN_FLIGHT && asked < size && !done.future().isComplete()) {
        long at = asked;
        int take = (int) Math.min(RANGE_BYTES, size - at);
        asked += take;
        inFlight++;
        range(sha256, at, take)
            .compose(bytes -> file.write(bytes, at))
            .onComplete(
                written -> {
                  inFlight--;
                  if (written.failed()) {
                    done.tryFail(written.cause());
                  } else if (asked >= size && inFlight == 0) {
                    done.tryComplete();
                  } else {
                    next();
                  }
                });
      }
      if (size == 0) {
        done.tryComplete();
      }
    }
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
        s3.listMultipartUploadsPaginator(b -> b.bucket(bucket))
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
    return abortUpload(upload.key(), upload.uploadId());
  }

  CompletableFuture<?> abortUpload(String key, String uploadId) {
    return s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
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

  /** Whether the service said the object is not there (rather than failing to answer). */
  public static boolean notFound(Throwable failure) {
    Throwable t = cause(failure);
    return t instanceof NoSuchKeyException || t instanceof S3Exception e && e.statusCode() == 404;
  }
}
