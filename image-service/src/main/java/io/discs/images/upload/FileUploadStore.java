package io.discs.images.upload;

import io.discs.images.store.ImageStore;
import io.discs.platform.error.DomainErrors;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.serviceproxy.ServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Uploads into the local file store: each into a temporary file beside the blobs ({@link
 * UploadSink}: staged, hashed and written with direct I/O), kept by an atomic rename to its digest.
 */
public final class FileUploadStore implements UploadStore {
  private final WorkerExecutor io;
  private final ImageStore store;
  private final UploadSinks sinks;

  /** Temporary files of uploads under way, removed at once if the service stops. */
  private final Set<Path> underway = ConcurrentHashMap.newKeySet();

  private volatile boolean stopping;

  public FileUploadStore(WorkerExecutor io, ImageStore store, UploadSinks sinks) {
    this.io = io;
    this.store = store;
    this.sinks = sinks;
  }

  @Override
  public Future<PendingUpload> begin(long maxBytes, String declaredSha256) {
    if (stopping) {
      return Future.failedFuture(DomainErrors.unavailable("image-service is stopping"));
    }
    return io.executeBlocking(store::newTempFile, false)
        .compose(
            temp -> {
              underway.add(temp);
              FileCommit commit = new FileCommit(io, store, temp, () -> underway.remove(temp));
              return sinks
                  .open(temp, maxBytes)
                  .<PendingUpload>map(sink -> new FilePending(sink, commit))
                  .recover(failure -> commit.drop().transform(v -> Future.failedFuture(failure)));
            });
  }

  /** A finished file of the store's filesystem (a resumable upload's), kept by a rename. */
  public BlobCommit commitFile(Path file) {
    return new FileCommit(io, store, file, () -> {});
  }

  /** Removes the temporary file of every upload under way (Linux lets the writer finish). */
  @Override
  public Future<Integer> abandonAll() {
    stopping = true;
    List<Path> files = List.copyOf(underway);
    return io.executeBlocking(
        () -> {
          int removed = 0;
          for (Path file : files) {
            removed += Files.deleteIfExists(file) ? 1 : 0;
          }
          return removed;
        },
        false);
  }

  /** A file of the store's filesystem (a single upload's, or a finished resumable one's). */
  static final class FileCommit implements BlobCommit {
    private final WorkerExecutor io;
    private final ImageStore store;
    private final Path file;
    private final Runnable done;

    FileCommit(WorkerExecutor io, ImageStore store, Path file, Runnable done) {
      this.io = io;
      this.store = store;
      this.file = file;
      this.done = done;
    }

    @Override
    public Future<Void> keep(String sha256) {
      return io.<Void>executeBlocking(
              () -> {
                store.commit(file, sha256);
                return null;
              },
              false)
          .andThen(v -> done.run());
    }

    @Override
    public Future<Void> drop() {
      return io.executeBlocking(() -> Files.deleteIfExists(file), false)
          .<Void>mapEmpty()
          .andThen(v -> done.run());
    }
  }

  private record FilePending(UploadSink upload, BlobCommit commit) implements PendingUpload {
    @Override
    public WriteStream<Buffer> sink() {
      return upload;
    }

    @Override
    public long size() {
      return upload.size();
    }

    @Override
    public String sha256Hex() {
      return upload.sha256Hex();
    }

    @Override
    public byte[] prefix() {
      return upload.prefix();
    }

    @Override
    public boolean exceededLimit() {
      return upload.exceededLimit();
    }

    @Override
    public ServiceException tooLargeError() {
      return upload.tooLargeError();
    }

    @Override
    public Future<Void> abandon() {
      return upload.abandon();
    }
  }
}
