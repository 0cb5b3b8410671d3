package io.discs.images.upload;

import io.discs.platform.error.DomainErrors;
import io.discs.transfer.s3.S3BlobStore;
import io.discs.transfer.s3.StagedBlob;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Resumable uploads in the bucket, so that any image node continues any upload: the bytes are
 * objects of one part each ({@link StagedBlob#PART_BYTES}) under {@code resumable/<id>/}, named by
 * the request that wrote them ({@link PieceRuns}), and the row in PostgreSQL says which count. A
 * request that continues mid-part reads that part's bytes back and writes it again whole, so every
 * part but the last is full and the finished upload is put together inside the service ({@link
 * S3BlobStore#assemble}), never read back through discs. A request that loses the race to record
 * its chunk leaves only objects no row names, removed with the upload.
 */
public final class BucketResumableBytes implements ResumableBytes {
  static final String FOLDER = "resumable/";

  static final int PART_BYTES = StagedBlob.PART_BYTES;

  /** Parts of one request hashed or on their way at once (each a part of memory). */
  static final int QUEUED_PARTS = 4;

  private final WorkerExecutor io;
  private final S3BlobStore bucket;

  public BucketResumableBytes(WorkerExecutor io, S3BlobStore bucket) {
    this.io = io;
    this.bucket = bucket;
  }

  @Override
  public Future<Void> create(UUID id) {
    return Future.succeededFuture();
  }

  @Override
  public Future<ChunkSink> append(UploadRows.Row row, MessageDigest sha256, boolean checkChunk) {
    PieceRuns runs = PieceRuns.parse(row.pieces());
    int firstPart = (int) (row.received() / PART_BYTES) + 1;
    int carried = (int) (row.received() % PART_BYTES);
    String writer = PieceRuns.newWriter();
    Future<byte[]> tail =
        carried == 0
            ? Future.succeededFuture(null)
            : bucket
                .rangeOf(runs.keyOf(FOLDER, row.id(), firstPart), 0, carried)
                .recover(BucketResumableBytes::partGone);
    return tail.map(
        bytes -> {
          UploadMeter meter =
              new UploadMeter(
                  row.length() - row.received(),
                  sha256,
                  checkChunk ? UploadMeter.newSha256() : null,
                  0);
          PieceRuns after = runs.from(firstPart, writer);
          PartStream parts =
              new PartStream(
                  io,
                  meter,
                  PART_BYTES,
                  QUEUED_PARTS,
                  (index, part, length) ->
                      bucket.put(after.keyOf(FOLDER, row.id(), firstPart + index), part, length),
                  bytes,
                  carried);
          return new Chunk(parts, runs, after);
        });
  }

  @Override
  public Future<MessageDigest> rehash(UploadRows.Row row) {
    PieceRuns runs = PieceRuns.parse(row.pieces());
    return rehashFrom(row, runs, 1, UploadMeter.newSha256());
  }

  /** One part at a time: a part of memory, hashed on a worker. */
  private Future<MessageDigest> rehashFrom(
      UploadRows.Row row, PieceRuns runs, int part, MessageDigest sha256) {
    long start = (long) (part - 1) * PART_BYTES;
    if (start >= row.received()) {
      return Future.succeededFuture(sha256);
    }
    int length = (int) Math.min(PART_BYTES, row.received() - start);
    return bucket
        .rangeOf(runs.keyOf(FOLDER, row.id(), part), 0, length)
        .recover(BucketResumableBytes::partGone)
        .compose(
            bytes ->
                io.executeBlocking(
                    () -> {
                      if (bytes.length < length) {
                        throw DomainErrors.gone("a part of the upload is shorter than recorded");
                      }
                      sha256.update(bytes, 0, length);
                      return sha256;
                    },
                    true))
        .compose(digest -> rehashFrom(row, runs, part + 1, digest));
  }

  /**
   * A part the row names that the bucket does not have: the upload cannot go on (410); a bucket
   * that does not answer is a 503 to try again.
   */
  private static Future<byte[]> partGone(Throwable failure) {
    return Future.failedFuture(
        S3BlobStore.notFound(failure)
            ? DomainErrors.gone("the upload's bytes are gone from the bucket")
            : DomainErrors.unavailable(
                "the bucket did not give the upload's bytes back: " + failure.getMessage()));
  }

  @Override
  public Future<byte[]> prefix(UploadRows.Row row, int length) {
    int take = (int) Math.min(length, Math.min(PART_BYTES, row.length()));
    return bucket.rangeOf(PieceRuns.parse(row.pieces()).keyOf(FOLDER, row.id(), 1), 0, take);
  }

  @Override
  public BlobCommit finished(UploadRows.Row row) {
    PieceRuns runs = PieceRuns.parse(row.pieces());
    int count = (int) ((row.length() + PART_BYTES - 1) / PART_BYTES);
    List<String> pieces = new ArrayList<>();
    for (int part = 1; part <= count; part++) {
      pieces.add(runs.keyOf(FOLDER, row.id(), part));
    }
    return new BlobCommit() {
      @Override
      public Future<Void> keep(String sha256) {
        return bucket.assemble(pieces, sha256).<Void>mapEmpty().eventually(this::drop);
      }

      @Override
      public Future<Void> drop() {
        return delete(row.id());
      }
    };
  }

  @Override
  public Future<Void> delete(UUID id) {
    return bucket.deleteUnder(FOLDER + id + "/").mapEmpty();
  }

  @Override
  public Future<Set<UUID>> held() {
    return bucket
        .foldersUnder(FOLDER)
        .map(
            names -> {
              Set<UUID> ids = new HashSet<>();
              for (String name : names) {
                try {
                  ids.add(UUID.fromString(name));
                } catch (IllegalArgumentException notOurs) {
                  // someone else's object in our folder: not an upload of ours, left alone
                }
              }
              return ids;
            });
  }

  /** One request's chunk: its parts, and the runs to record if it is kept. */
  private static final class Chunk implements ChunkSink {
    private final PartStream parts;
    private final PieceRuns before;
    private final PieceRuns after;

    Chunk(PartStream parts, PieceRuns before, PieceRuns after) {
      this.parts = parts;
      this.before = before;
      this.after = after;
    }

    @Override
    public Future<Void> write(Buffer data) {
      return parts.write(data);
    }

    @Override
    public Future<Void> end() {
      return parts.end();
    }

    @Override
    public Future<Void> abandon() {
      return parts.stop();
    }

    @Override
    public long size() {
      return parts.meter().size();
    }

    @Override
    public boolean exceededLimit() {
      return parts.meter().exceededLimit();
    }

    @Override
    public MessageDigest digest() {
      return parts.meter().digest();
    }

    @Override
    public byte[] chunkSha256() {
      return parts.meter().chunkSha256();
    }

    /** Unchanged when the chunk brought no byte (no part of it was written). */
    @Override
    public String pieces() {
      return (parts.parts() > 0 ? after : before).format();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
      return this;
    }

    @Override
    public boolean writeQueueFull() {
      return parts.writeQueueFull();
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      parts.drainHandler(handler);
      return this;
    }
  }
}
