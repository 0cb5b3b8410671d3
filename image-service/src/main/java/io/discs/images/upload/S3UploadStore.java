package io.discs.images.upload;

import io.discs.images.inspect.DiscInspector;
import io.discs.platform.error.DomainErrors;
import io.discs.transfer.s3.S3BlobStore;
import io.discs.transfer.s3.StagedBlob;
import io.discs.transfer.tap.LentBuffer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.serviceproxy.ServiceException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Uploads into a bucket ({@link S3BlobStore}): the bytes are gathered into parts on the event loop,
 * each part hashed on a worker in order and then sent as a part of the staging multipart upload; at
 * most {@link #QUEUED_PARTS} parts wait to be hashed or sent before the socket pauses, so an upload
 * holds a bounded few parts of memory whatever its size.
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

  /**
   * A finished file of this node's (a resumable upload's) to be kept in the bucket: read part by
   * part on a worker and sent, then the file goes either way.
   */
  public BlobCommit commitFile(Path file) {
    return new BlobCommit() {
      @Override
      public Future<Void> keep(String sha256) {
        return blobs
            .begin()
            .compose(
                staged ->
                    sendFile(file, staged, 0)
                        .compose(v -> staged.commit(sha256))
                        .recover(
                            failure -> staged.abort().transform(v -> Future.failedFuture(failure))))
            .<Void>mapEmpty()
            .eventually(this::drop);
      }

      @Override
      public Future<Void> drop() {
        return io.executeBlocking(() -> Files.deleteIfExists(file), false).mapEmpty();
      }
    };
  }

  private Future<Void> sendFile(Path file, StagedBlob staged, long at) {
    return io.executeBlocking(() -> readPart(file, at), false)
        .compose(
            part ->
                part.length() == 0
                    ? Future.<Void>succeededFuture()
                    : staged.append(part).compose(v -> sendFile(file, staged, at + part.length())));
  }

  private static Buffer readPart(Path file, long at) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer part = ByteBuffer.allocate(StagedBlob.PART_BYTES);
      while (part.hasRemaining()) {
        int read = channel.read(part, at + part.position());
        if (read < 0) {
          break;
        }
      }
      part.flip();
      byte[] bytes = new byte[part.remaining()];
      part.get(bytes);
      return Buffer.buffer(bytes);
    }
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

  private final class Pending implements PendingUpload, WriteStream<Buffer>, BlobCommit {
    private final StagedBlob staged;
    private final UploadMeter meter;
    private final Context context = Vertx.currentContext();
    private byte[] part = new byte[StagedBlob.PART_BYTES];
    private int filled;
    private Future<Void> tail = Future.succeededFuture();
    private int queued;
    private Throwable failure;
    private boolean settled;
    private Handler<Void> drainHandler;
    private Future<Void> ended;

    Pending(StagedBlob staged, long maxBytes) {
      this.staged = staged;
      this.meter =
          new UploadMeter(maxBytes, UploadMeter.newSha256(), null, DiscInspector.PREFIX_BYTES);
    }

    @Override
    public Future<Void> write(Buffer data) {
      try {
        if (!meter.count(data)) {
          return Future.failedFuture(meter.tooLargeError());
        }
        if (failure != null) {
          return Future.failedFuture(failure);
        }
        // One copy, into the part: from the pooled chunk when it is lent, else from Vert.x's.
        java.nio.ByteBuffer lent = data instanceof LentBuffer chunk ? chunk.bytes() : null;
        int length = data.length();
        for (int at = 0; at < length; ) {
          int take = Math.min(StagedBlob.PART_BYTES - filled, length - at);
          if (lent != null) {
            lent.get(lent.position() + at, part, filled, take);
          } else {
            data.getBytes(at, at + take, part, filled);
          }
          filled += take;
          at += take;
          if (filled == StagedBlob.PART_BYTES) {
            submit(part, filled);
            part = new byte[StagedBlob.PART_BYTES];
            filled = 0;
          }
        }
      } finally {
        LentBuffer.giveBack(data);
      }
      return Future.succeededFuture();
    }

    /** Hashes then sends {@code bytes}, after every part before it. */
    private void submit(byte[] bytes, int length) {
      queued++;
      tail =
          tail.compose(
                  v ->
                      io.<Void>executeBlocking(
                          () -> {
                            meter.hash().piece(bytes, length);
                            return null;
                          },
                          true))
              .compose(v -> staged.appendPart(bytes, length))
              .onFailure(cause -> failure = failure == null ? cause : failure)
              .andThen(
                  done -> {
                    queued--;
                    Handler<Void> drain = drainHandler;
                    if (drain != null && !writeQueueFull()) {
                      drainHandler = null;
                      drain.handle(null);
                    }
                  });
    }

    @Override
    public Future<Void> end() {
      if (ended == null) {
        if (filled > 0) {
          submit(part, filled);
          part = new byte[0];
          filled = 0;
        }
        ended =
            tail.transform(
                done ->
                    failure == null
                        ? Future.<Void>succeededFuture()
                        : Future.failedFuture(failure));
      }
      return ended;
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
      return failure == null && queued >= QUEUED_PARTS;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
      this.drainHandler = handler;
      return this;
    }

    @Override
    public WriteStream<Buffer> sink() {
      return this;
    }

    @Override
    public long size() {
      return meter.size();
    }

    @Override
    public String sha256Hex() {
      return meter.sha256Hex();
    }

    @Override
    public byte[] prefix() {
      return meter.prefix();
    }

    @Override
    public boolean exceededLimit() {
      return meter.exceededLimit();
    }

    @Override
    public ServiceException tooLargeError() {
      return meter.tooLargeError();
    }

    @Override
    public Future<Void> abandon() {
      if (failure == null) {
        failure = new IllegalStateException("the upload was abandoned");
      }
      return tail.transform(v -> drop());
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
