package io.discs.targets.embedded.backing;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One open file (and one mapping) per stored image, however many targets serve it: a fleet of
 * sessions on one disc would otherwise hold a descriptor and a set of mappings each, and run into
 * the process's limits on both. Stored images never change, so sharing is safe.
 */
public final class SharedBlockSources {
  private final WorkerExecutor io;
  private final Map<Path, Shared> open = new HashMap<>();

  private static final class Shared {
    final FileBlockSource source;
    int users;

    Shared(FileBlockSource source) {
      this.source = source;
    }
  }

  public SharedBlockSources(WorkerExecutor io) {
    this.io = io;
  }

  /** Blocking: call from a worker. Close the answer when done; the file closes with its last. */
  public synchronized BlockSource open(Path file) throws IOException {
    Path key = file.toAbsolutePath().normalize();
    Shared shared = open.get(key);
    if (shared == null) {
      shared = new Shared(FileBlockSource.open(key, io));
      open.put(key, shared);
    }
    shared.users++;
    return new Handle(key, shared.source);
  }

  /** How many files are open now. */
  public synchronized int openFiles() {
    return open.size();
  }

  private synchronized void release(Path key) {
    Shared shared = open.get(key);
    if (shared != null && --shared.users == 0) {
      open.remove(key);
      shared.source.close();
    }
  }

  private final class Handle implements BlockSource {
    private final Path key;
    private final FileBlockSource source;
    private final AtomicBoolean closed = new AtomicBoolean();

    Handle(Path key, FileBlockSource source) {
      this.key = key;
      this.source = source;
    }

    @Override
    public long size() {
      return source.size();
    }

    @Override
    public Future<Buffer> read(long offset, int length) {
      return source.read(offset, length);
    }

    @Override
    public Optional<FileRange> residentRange(long offset, int length) {
      return source.residentRange(offset, length);
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        release(key);
      }
    }
  }
}
