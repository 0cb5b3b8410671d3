package io.discs.images.upload;

import io.discs.images.inspect.DiscInspector;
import io.discs.platform.error.DomainErrors;
import io.discs.transfer.s3.S3BlobStore;
import io.discs.transfer.s3.StagedBlob;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.serviceproxy.ServiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Uploads into a bucket ({@link S3BlobStore}): the bytes are gathered into parts ({@link
 * PartStream}), each hashed on a worker in order and then sent as a part of the staging multipart
 * upload; at most {@link #QUEUED_PARTS} parts wait to be hashed or sent before the socket pauses,
 * so an upload holds a bounded few parts of memory whatever its size.
 */
public final class S3UploadStore implements UploadStore {
  static final int QUEUED_PARTS = 2;

  private final WorkerExecutor io;
  private final S3BlobStore blobs;
  private final Set<Pending> underway = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;

  public S3UploadStore(WorkerExecutor io, S3BlobStore blobs) {
    this.io = io;
    this.blobs = blobs;
  }

  @Override
  public Future<PendingUpload> begin(long maxBytes, String declaredSha256) {
    if (stopping) {
      return Future.failedFuture(DomainErrors.unavailable("image-service is stopping"));
    }
    return blobs
        .begin(declaredSha256)
        .map(
            staged -> {
              Pending pending = new Pending(staged, maxBytes);
              underway.add(pending);
              return pending;
            });
  }

  /** Each upload is abandoned on the context that owns it: its state is that event loop's. */
  @Override
  public Future<Integer> abandonAll() {
    stopping = true;
    List<Future<Void>> abandoned = new ArrayList<>();
    for (Pending pending : List.copyOf(underway)) {
      Promise<Void> done = Promise.promise();
      pending.context.runOnContext(v -> pending.abandon().onComplete(done));
      abandoned.add(done.future());
    }
    return Future.join(abandoned).transform(all -> Future.succeededFuture(abandoned.size()));
  }

  private final class Pending implements PendingUpload, BlobCommit {
    private final StagedBlob staged;
    private final PartStream parts;
    private final Context context = Vertx.currentContext();
    private boolean settled;

    Pending(StagedBlob staged, long maxBytes) {
      this.staged = staged;
      this.parts =
          new PartStream(
              io,
              new UploadMeter(maxBytes, UploadMeter.newSha256(), null, DiscInspector.PREFIX_BYTES),
              StagedBlob.PART_BYTES,
              QUEUED_PARTS,
              (index, bytes, length) -> staged.appendPart(bytes, length),
              null,
              0);
    }

    @Override
    public WriteStream<Buffer> sink() {
      return parts;
    }

    @Override
    public long size() {
      return parts.meter().size();
    }

    @Override
    public String sha256Hex() {
      return parts.meter().sha256Hex();
    }

    @Override
    public byte[] prefix() {
      return parts.meter().prefix();
    }

    @Override
    public boolean exceededLimit() {
      return parts.meter().exceededLimit();
    }

    @Override
    public ServiceException tooLargeError() {
      return parts.meter().tooLargeError();
    }

    @Override
    public Future<Void> abandon() {
      return parts.stop().transform(v -> drop());
    }

    @Override
    public BlobCommit commit() {
      return this;
    }

    @Override
    public Future<Void> keep(String sha256) {
      settled = true;
      underway.remove(this);
      return staged.commit(sha256).mapEmpty();
    }

    @Override
    public Future<Void> drop() {
      if (settled) {
        return Future.succeededFuture();
      }
      settled = true;
      underway.remove(this);
      return staged.abort();
    }
  }
}
