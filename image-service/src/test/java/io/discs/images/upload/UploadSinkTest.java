package io.discs.images.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.transfer.tap.LentBytes;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class UploadSinkTest {
  @TempDir Path dir;

  /**
   * A source far faster than the stages, as loopback is: the sink reports itself full (the socket
   * would be paused), wakes the writer when there is room again, and the file and the digest hold
   * every byte in order. Every other chunk is lent from pooled direct memory, as the gateway's are;
   * each is given back.
   */
  @Test
  void aFastSourceIsPausedAndResumedAndEveryByteLandsInOrder(Vertx vertx) throws Exception {
    byte[] all = randomBytes(80 * 1024 * 1024 + 12_345, 7);
    LentBytes lentBytes = new LentBytes();
    Path file = Files.createFile(dir.resolve("upload.part"));
    WorkerExecutor io = vertx.createSharedWorkerExecutor("upload-sink-test", 4);
    AtomicInteger pauses = new AtomicInteger();

    UploadSink sink =
        await(
            vertx,
            () -> UploadSink.open(io, new StagingBuffers(), file, all.length),
            chunks(all, 0, all.length, 7, lentBytes),
            pauses);

    assertThat(pauses).hasPositiveValue();
    assertThat(sink.size()).isEqualTo(all.length);
    assertThat(Files.readAllBytes(file)).isEqualTo(all);
    assertThat(sink.sha256Hex()).isEqualTo(sha256Hex(all));
    assertThat(lentBytes.total()).isPositive();
    assertThat(lentBytes.outstanding()).isZero();
  }

  /**
   * A worker that runs each task when told to, or at once: a task finished before its completion
   * handler is attached runs that handler inline, as a fast write on a warm JVM does.
   */
  private static final class SteppedWorker implements WorkerExecutor {
    private final java.util.ArrayDeque<Runnable> queued = new java.util.ArrayDeque<>();
    private boolean inline = true;

    @Override
    public <T> Future<T> executeBlocking(java.util.concurrent.Callable<T> task, boolean ordered) {
      Promise<T> done = Promise.promise();
      Runnable run =
          () -> {
            try {
              done.complete(task.call());
            } catch (Exception e) {
              done.fail(e);
            }
          };
      if (inline) {
        run.run();
      } else {
        queued.add(run);
      }
      return done.future();
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  /**
   * The end of an upload waits for every staged buffer: here the write of the first finishes inside
   * the hash stage's completion, while four more wait to be hashed. Taking both stages' flags for
   * idleness ended the upload then, and kept 2 MiB of 12 under a wrong digest.
   */
  @Test
  void theEndWaitsForEveryBufferWhenAWriteFinishesInsideTheHashStagesCompletion() throws Exception {
    byte[] all = randomBytes(12 << 20, 21);
    Path file = Files.createFile(dir.resolve("upload.part"));
    SteppedWorker io = new SteppedWorker();
    UploadSink sink =
        UploadSink.open(io, new StagingBuffers(), file, all.length).await(10, TimeUnit.SECONDS);
    io.inline = false;
    for (int at = 0; at < all.length; at += 64 << 10) {
      assertThat(
              sink.write(Buffer.buffer(Arrays.copyOfRange(all, at, at + (64 << 10)))).succeeded())
          .isTrue();
    }
    Future<Void> ended = sink.end();
    assertThat(ended.isComplete()).isFalse();

    io.inline = true;
    while (!io.queued.isEmpty()) {
      io.queued.poll().run();
    }

    assertThat(ended.succeeded()).as(String.valueOf(ended.cause())).isTrue();
    assertThat(Files.readAllBytes(file)).isEqualTo(all);
    assertThat(sink.sha256Hex()).isEqualTo(sha256Hex(all));
  }

  /**
   * A lent chunk whose memory the pool has taken back cannot be read: the write fails and so does
   * the upload. Thrown instead into the source's handler, the exception was swallowed and the chunk
   * lost while its bytes were counted: an upload kept short under a wrong digest.
   */
  @Test
  void aChunkThatCannotBeReadFailsTheUploadInsteadOfVanishing(Vertx vertx) throws Exception {
    Path file = Files.createFile(dir.resolve("upload.part"));
    WorkerExecutor io = vertx.createSharedWorkerExecutor("upload-sink-test", 2);
    UploadSink sink =
        UploadSink.open(io, new StagingBuffers(), file, 1 << 20).await(10, TimeUnit.SECONDS);
    io.netty.buffer.ByteBuf pooled =
        PooledByteBufAllocator.DEFAULT.directBuffer(4096).writeBytes(new byte[4096]);
    Buffer lent = new LentBytes().lend(pooled);
    pooled.release(); // taken back before the sink read it

    java.util.concurrent.CompletableFuture<String> outcome =
        new java.util.concurrent.CompletableFuture<>();
    vertx.runOnContext(
        v -> {
          Future<Void> written;
          try {
            written = sink.write(lent);
          } catch (RuntimeException thrown) {
            outcome.complete("thrown: " + thrown);
            return;
          }
          written
              .transform(w -> sink.end().transform(e -> Future.succeededFuture(w + " / " + e)))
              .onSuccess(outcome::complete);
        });

    assertThat(outcome.get(10, TimeUnit.SECONDS))
        .startsWith("Future{cause=")
        .doesNotContain("thrown")
        .contains(" / Future{cause=");
  }

  /**
   * With no staging buffer kept (the first upload after a start), new ones are allocated by the
   * workers, never on the event loop (a 2 MiB direct allocation zeroes it and may run a GC).
   */
  @Test
  void aColdStartAllocatesStagingBuffersOnWorkersOnly(Vertx vertx) throws Exception {
    byte[] all = randomBytes(40 * 1024 * 1024 + 5, 13);
    StagingBuffers none = new StagingBuffers(); // the first upload after a start
    Path file = Files.createFile(dir.resolve("upload.part"));
    WorkerExecutor io = vertx.createSharedWorkerExecutor("upload-sink-test", 4);

    UploadSink sink =
        await(
            vertx,
            () -> UploadSink.open(io, none, file, all.length),
            chunks(all, 0, all.length, 3, new LentBytes()),
            new AtomicInteger());

    assertThat(none.allocatedOnEventLoops()).isZero();
    assertThat(Files.readAllBytes(file)).isEqualTo(all);
    assertThat(sink.sha256Hex()).isEqualTo(sha256Hex(all));
  }

  /**
   * A resumable upload appended inside a block: the bytes read back to keep the writes aligned are
   * not hashed again, so the running digest is the whole file's.
   */
  @Test
  void anAppendInsideABlockKeepsTheRunningDigestRight(Vertx vertx) throws Exception {
    byte[] all = randomBytes(5 * 1024 * 1024 + 777, 11);
    int firstPart = 2 * 1024 * 1024 + 1234;
    Path file = Files.createFile(dir.resolve("upload.part"));
    WorkerExecutor io = vertx.createSharedWorkerExecutor("upload-sink-test", 4);
    MessageDigest running = UploadSink.newSha256();
    StagingBuffers staging = new StagingBuffers();

    await(
        vertx,
        () -> UploadSink.append(io, staging, file, 0, running, false, all.length),
        chunks(all, 0, firstPart, 1, new LentBytes()),
        new AtomicInteger());
    UploadSink rest =
        await(
            vertx,
            () -> UploadSink.append(io, staging, file, firstPart, running, true, all.length),
            chunks(all, firstPart, all.length, 2, new LentBytes()),
            new AtomicInteger());

    assertThat(Files.readAllBytes(file)).isEqualTo(all);
    assertThat(HexFormat.of().formatHex(running.digest())).isEqualTo(sha256Hex(all));
    assertThat(HexFormat.of().formatHex(rest.chunkSha256()))
        .isEqualTo(sha256Hex(Arrays.copyOfRange(all, firstPart, all.length)));
  }

  private static UploadSink await(
      Vertx vertx, Supplier<Future<UploadSink>> open, List<Buffer> chunks, AtomicInteger pauses)
      throws Exception {
    Promise<UploadSink> done = Promise.promise();
    vertx.runOnContext(
        start ->
            open.get()
                .onFailure(done::fail)
                .onSuccess(sink -> feed(sink, chunks.iterator(), pauses, done)));
    return done.future().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** Chunks of awkward sizes; every other one lent from pooled direct memory. */
  private static List<Buffer> chunks(byte[] all, int from, int to, long seed, LentBytes lent) {
    Random random = new Random(seed);
    List<Buffer> chunks = new ArrayList<>();
    for (int at = from; at < to; ) {
      int length = Math.min(to - at, 1 + random.nextInt(70_000));
      chunks.add(
          chunks.size() % 2 == 0
              ? Buffer.buffer().appendBytes(all, at, length)
              : lent.lend(
                  PooledByteBufAllocator.DEFAULT.directBuffer(length).writeBytes(all, at, length)));
      at += length;
    }
    return chunks;
  }

  private static byte[] randomBytes(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static String sha256Hex(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** What a pipe does: writes until the sink is full, then waits for its drain handler. */
  private static void feed(
      UploadSink sink, Iterator<Buffer> chunks, AtomicInteger pauses, Promise<UploadSink> done) {
    while (chunks.hasNext()) {
      sink.write(chunks.next()).onFailure(done::tryFail);
      if (sink.writeQueueFull()) {
        pauses.incrementAndGet();
        sink.drainHandler(room -> feed(sink, chunks, pauses, done));
        return;
      }
    }
    sink.end().map(sink).onComplete(done);
  }
}
