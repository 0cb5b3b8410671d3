package io.discs.images.upload;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The two worker stages an upload's full staging buffers go through, in order: the hash stage feeds
 * each to the digests, the write stage writes it to the file. Each stage runs one task at a time
 * and takes, when it starts one, everything that waits for it: a stage that keeps up gets small
 * batches soon, one that falls behind gets large ones and is woken less often. All state is the
 * upload's event loop's; the stages' tasks run on {@code io}.
 */
final class UploadStages {
  /**
   * Empty buffers the hash stage makes sure wait for the event loop before each task, so that
   * staging never allocates on the event loop.
   */
  private static final int SPARE_KEPT_BY_WORKERS = 2 * DirectFileWriter.LEAST_SPARE;

  private final WorkerExecutor io;
  private final DirectFileWriter writer;
  private final BufferBytes.PieceHandler hash;
  private final Function<IOException, IOException> typed;

  /** The hash stage's own: one task at a time. */
  private final BufferBytes staged = new BufferBytes();

  private List<DirectFileWriter.Staged> unhashed = new ArrayList<>();
  private boolean hashing;
  private List<DirectFileWriter.Staged> unwritten = new ArrayList<>();
  private boolean writing;
  private int unwrittenBuffers;

  /** Set once a stage failed or the upload was abandoned: no stage starts another task. */
  private boolean stopped;

  private Throwable failure;
  private Promise<Void> whenIdle;
  private Runnable progressed = () -> {};

  /**
   * @param typed what a write's failure is taken for (a full store)
   */
  UploadStages(
      WorkerExecutor io,
      DirectFileWriter writer,
      BufferBytes.PieceHandler hash,
      Function<IOException, IOException> typed) {
    this.io = io;
    this.writer = writer;
    this.hash = hash;
    this.typed = typed;
  }

  /** Called on the event loop after each task of either stage. */
  void onProgress(Runnable progressed) {
    this.progressed = progressed;
  }

  /** Hands full buffers to the hash stage. */
  void submit(List<DirectFileWriter.Staged> full) {
    unhashed.addAll(full);
    unwrittenBuffers += full.size();
    hashNext();
  }

  /** Full buffers not written yet. */
  int unwrittenBuffers() {
    return unwrittenBuffers;
  }

  Throwable failure() {
    return failure;
  }

  boolean stopped() {
    return stopped;
  }

  /** Where the stages were stopped from, for the report of buffers never written. */
  private Throwable stoppedAt;

  /** No stage starts another task, and what waited for one is dropped. */
  void stop() {
    if (!stopped) {
      stoppedAt = new Throwable("the stages were stopped here");
    }
    stopped = true;
    unhashed = new ArrayList<>();
    unwritten = new ArrayList<>();
  }

  /**
   * Whether a stage runs a task or buffers wait for one. Both flags down is not enough: a task that
   * ends before its completion handler is attached (a fast write) runs that handler at once, inside
   * the other stage's handler, before that one has started its next task on what waits for it.
   */
  private boolean busy() {
    return hashing || writing || (!stopped && (!unhashed.isEmpty() || !unwritten.isEmpty()));
  }

  /** How the stages stand, for a report of buffers that were never written. */
  IllegalStateException neverWritten(String file) {
    return new IllegalStateException(
        unwrittenBuffers
            + " staged buffers of "
            + file
            + " were never written (stopped "
            + stopped
            + ", hashing "
            + hashing
            + ", writing "
            + writing
            + ", waiting to hash "
            + unhashed.size()
            + ", waiting to write "
            + unwritten.size()
            + ")",
        stoppedAt);
  }

  /** When no stage is running a task and none will start one (everything submitted is through). */
  Future<Void> idle() {
    hashNext();
    writeNext();
    if (!busy()) {
      return Future.succeededFuture();
    }
    if (whenIdle == null) {
      whenIdle = Promise.promise();
    }
    return whenIdle.future();
  }

  private void hashNext() {
    if (hashing || stopped || unhashed.isEmpty()) {
      return;
    }
    List<DirectFileWriter.Staged> batch = unhashed;
    unhashed = new ArrayList<>();
    hashing = true;
    io.<Void>executeBlocking(
            () -> {
              writer.keepSpare(SPARE_KEPT_BY_WORKERS);
              for (DirectFileWriter.Staged buffer : batch) {
                staged.read(buffer.received(), hash);
              }
              return null;
            },
            false)
        .onComplete(
            hashed -> {
              hashing = false;
              if (hashed.succeeded()) {
                unwritten.addAll(batch);
              } else {
                fail(hashed.cause());
              }
              writeNext();
              hashNext();
              progressed();
            });
  }

  private void writeNext() {
    if (writing || stopped || unwritten.isEmpty()) {
      return;
    }
    List<DirectFileWriter.Staged> batch = unwritten;
    unwritten = new ArrayList<>();
    writing = true;
    io.<Void>executeBlocking(
            () -> {
              try {
                writer.write(batch);
              } catch (IOException e) {
                throw typed.apply(e);
              }
              return null;
            },
            false)
        .onComplete(
            written -> {
              writing = false;
              unwrittenBuffers -= batch.size();
              if (written.failed()) {
                fail(written.cause());
              }
              writeNext();
              progressed();
            });
  }

  private void fail(Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
    stop();
  }

  private void progressed() {
    progressed.run();
    if (whenIdle != null && !busy()) {
      Promise<Void> idle = whenIdle;
      whenIdle = null;
      idle.complete();
    }
  }
}
