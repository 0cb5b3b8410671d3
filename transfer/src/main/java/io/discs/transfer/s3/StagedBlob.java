package io.discs.transfer.s3;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One upload on its way into the bucket: parts of {@link #PART_BYTES}, at most {@link #IN_FLIGHT}
 * of them sending at once, so an upload holds at most (1 + {@value #IN_FLIGHT}) parts of memory
 * whatever its size. {@link #commit} puts the finished bytes under their digest, once; {@link
 * #abort} leaves nothing. All calls come from one Vert.x context, one at a time (a pipe's).
 */
public final class StagedBlob {
  /** A part's size: well above S3's 5 MiB minimum, small enough to keep several in memory. */
  public static final int PART_BYTES = 8 << 20;

  static final int IN_FLIGHT = 3;

  /** The largest range one part-copy may take (S3 allows 5 GiB). */
  private static final long COPY_PART_BYTES = 1L << 30;

  private final S3BlobStore store;
  private final S3AsyncClient s3;
  private final String staging;
  private final String uploadId;

  /** The digest the parts are sent under directly (the client named it), or null. */
  private final String direct;

  private final List<CompletableFuture<CompletedPart>> parts = new ArrayList<>();
  private final List<CompletableFuture<CompletedPart>> sending = new ArrayList<>();
  private long size;
  private boolean finished;

  StagedBlob(S3BlobStore store, String key, String uploadId, String direct) {
    this.store = store;
    this.s3 = store.client();
    this.staging = key;
    this.uploadId = uploadId;
    this.direct = direct;
  }

  public long size() {
    return size;
  }

  /**
   * Sends {@code length} bytes of {@code part} as the next part, as they are (no copy): a whole
   * {@link #PART_BYTES}, or fewer for the last. The array must not change until the returned future
   * completes; it completes once the upload can take more.
   */
  public Future<Void> appendPart(byte[] part, int length) {
    size += length;
    return send(part, length);
  }

  /**
   * Puts the bytes under {@code sha256}: answers true if they are now stored, false if the same
   * bytes were stored already (and these are dropped). Either way the staging goes.
   */
  public Future<Boolean> commit(String sha256) {
    finished = true;
    if (parts.isEmpty()) {
      send(new byte[0], 0); // an empty upload is still one part
    }
    CompletableFuture<Void> sent = CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    CompletableFuture<Boolean> done;
    if (direct != null) {
      if (!direct.equals(sha256)) {
        return abort()
            .transform(
                v ->
                    Future.failedFuture(
                        new IllegalArgumentException(
                            "the bytes do not hash to the digest they were sent as")));
      }
      done = sent.thenCompose(all -> store.completeOnce(staging, uploadId, completed()));
    } else {
      done =
          sent.thenCompose(
                  all ->
                      s3.completeMultipartUpload(
                          b ->
                              b.bucket(store.bucket())
                                  .key(staging)
                                  .uploadId(uploadId)
                                  .multipartUpload(m -> m.parts(completed()))))
              .thenCompose(staged -> promote(S3BlobStore.key(sha256)))
              .whenComplete((created, failure) -> store.deleteKey(staging));
    }
    return store.on(done);
  }

  private List<CompletedPart> completed() {
    return parts.stream().map(CompletableFuture::join).toList();
  }

  /** Drops the upload: the staging multipart upload is aborted, no part is kept. */
  public Future<Void> abort() {
    finished = true;
    CompletableFuture<Void> done =
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
            .handle((all, failure) -> null)
            .thenCompose(
                sent ->
                    s3.abortMultipartUpload(
                        b -> b.bucket(store.bucket()).key(staging).uploadId(uploadId)))
            .thenApply(aborted -> null);
    return store.on(done);
  }

  private Future<Void> send(byte[] bytes, int length) {
    int number = parts.size() + 1;
    CompletableFuture<CompletedPart> sent =
        s3.uploadPart(
                b ->
                    b.bucket(store.bucket())
                        .key(staging)
                        .uploadId(uploadId)
                        .partNumber(number)
                        .contentLength((long) length),
                AsyncRequestBody.fromByteBufferUnsafe(java.nio.ByteBuffer.wrap(bytes, 0, length)))
            .thenApply(r -> CompletedPart.builder().partNumber(number).eTag(r.eTag()).build());
    parts.add(sent);
    sending.add(sent);
    sending.removeIf(CompletableFuture::isDone);
    if (sending.size() < IN_FLIGHT || finished) {
      return Future.succeededFuture();
    }
    Promise<Void> room = Promise.promise();
    store
        .on(CompletableFuture.anyOf(sending.toArray(CompletableFuture[]::new)))
        .onComplete(any -> room.tryComplete());
    return room.future();
  }

  /**
   * Copies the staged object to {@code key} in parts, completing with {@code If-None-Match: *}: the
   * service refuses to complete when the key exists, so a blob is written once whichever of two
   * uploads of the same bytes finishes first.
   */
  private CompletableFuture<Boolean> promote(String key) {
    return s3.createMultipartUpload(b -> b.bucket(store.bucket()).key(key))
        .thenCompose(
            created -> {
              String copyId = created.uploadId();
              List<CompletableFuture<CompletedPart>> copies = new ArrayList<>();
              int number = 1;
              for (long from = 0; from < size || number == 1; from += COPY_PART_BYTES) {
                long to = Math.min(size, from + COPY_PART_BYTES) - 1;
                int part = number++;
                long first = from;
                copies.add(
                    s3.uploadPartCopy(
                            b ->
                                b.sourceBucket(store.bucket())
                                    .sourceKey(staging)
                                    .destinationBucket(store.bucket())
                                    .destinationKey(key)
                                    .uploadId(copyId)
                                    .partNumber(part)
                                    .copySourceRange("bytes=" + first + "-" + Math.max(first, to)))
                        .thenApply(
                            r ->
                                CompletedPart.builder()
                                    .partNumber(part)
                                    .eTag(r.copyPartResult().eTag())
                                    .build()));
              }
              return CompletableFuture.allOf(copies.toArray(CompletableFuture[]::new))
                  .thenCompose(
                      all ->
                          store.completeOnce(
                              key, copyId, copies.stream().map(CompletableFuture::join).toList()));
            });
  }
}
