package io.discs.images.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class UploadSinkTest {
  @TempDir Path dir;

  /**
   * A source far faster than the stages, as loopback is: the sink reports itself full (the socket
   * would be paused), wakes the writer when there is room again, and the file and the digest hold
   * every byte in order.
   */
  @Test
  void aFastSourceIsPausedAndResumedAndEveryByteLandsInOrder(Vertx vertx) throws Exception {
    byte[] all = new byte[48 * 1024 * 1024 + 12_345];
    Random random = new Random(7);
    random.nextBytes(all);
    List<Buffer> chunks = new ArrayList<>();
    for (int at = 0; at < all.length; ) {
      int length = Math.min(all.length - at, 1 + random.nextInt(70_000));
      chunks.add(Buffer.buffer().appendBytes(all, at, length));
      at += length;
    }
    Path file = Files.createFile(dir.resolve("upload.part"));
    WorkerExecutor io = vertx.createSharedWorkerExecutor("upload-sink-test", 4);
    AtomicInteger pauses = new AtomicInteger();
    Promise<UploadSink> done = Promise.promise();
    vertx.runOnContext(
        start ->
            UploadSink.open(io, file, all.length)
                .onFailure(done::fail)
                .onSuccess(sink -> feed(sink, chunks.iterator(), pauses, done)));

    UploadSink sink =
        done.future().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);

    assertThat(pauses).hasPositiveValue();
    assertThat(sink.size()).isEqualTo(all.length);
    assertThat(Files.readAllBytes(file)).isEqualTo(all);
    assertThat(sink.sha256Hex())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(all)));
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
