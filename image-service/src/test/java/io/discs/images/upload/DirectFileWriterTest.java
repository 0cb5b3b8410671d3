package io.discs.images.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirectFileWriterTest {
  @TempDir Path dir;

  /**
   * Chunks of awkward sizes, appended in several sittings that each start where the last one
   * stopped (inside a block, on a block boundary, at a staging buffer's edge): the file holds
   * exactly the bytes, no padding, no gap.
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 4095, 4096, 4097, 65_536, 200_001})
  void appendsInSittingsHoldExactlyTheBytesSent(int firstSitting) throws Exception {
    Random random = new Random(firstSitting);
    byte[] all = new byte[1_000_003];
    random.nextBytes(all);
    Path file = Files.createFile(dir.resolve("upload.part"));
    int[] ends = {firstSitting, 300_000, 300_000, 712_345, all.length};
    int at = 0;
    for (int end : ends) {
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      try (DirectFileWriter writer =
          DirectFileWriter.open(file, at, 64 << 10, new StagingBuffers())) {
        stageAndWrite(writer, chunks(all, at, end, random), received);
        received.write(bytesOf(writer.partial()));
        writer.finish();
      }
      // What the hash stage is handed: this sitting's bytes once each, none read back from the
      // file.
      assertThat(received.toByteArray()).isEqualTo(Arrays.copyOfRange(all, at, Math.max(at, end)));
      at = Math.max(at, end);
      assertThat(Files.size(file)).isEqualTo(at);
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(all);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 5000})
  void anAppendCutsOffWhatWasWrittenButNeverRecorded(int recorded) throws Exception {
    byte[] before = new byte[9000];
    new Random(1).nextBytes(before);
    Path file = Files.write(dir.resolve("upload.part"), before);
    byte[] more = new byte[7000];
    new Random(2).nextBytes(more);
    try (DirectFileWriter writer =
        DirectFileWriter.open(file, recorded, 64 << 10, new StagingBuffers())) {
      stageAndWrite(writer, List.of(Buffer.buffer(more)), new ByteArrayOutputStream());
      writer.finish();
    }
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(before, 0, recorded);
    expected.write(more);
    assertThat(Files.readAllBytes(file)).isEqualTo(expected.toByteArray());
  }

  /**
   * As an upload does: chunks staged as they come (every other one from direct memory, as a lent
   * chunk is), the full buffers written a batch at a time while later chunks are already being
   * staged; what each full buffer holds of this upload goes to {@code received}.
   */
  private static void stageAndWrite(
      DirectFileWriter writer, List<Buffer> chunks, ByteArrayOutputStream received)
      throws IOException {
    BufferBytes bytes = new BufferBytes();
    List<DirectFileWriter.Staged> waiting = new ArrayList<>();
    for (int i = 0; i < chunks.size(); i++) {
      Buffer chunk = chunks.get(i);
      if (i % 2 == 0) {
        bytes.read(chunk, (piece, length) -> writer.stage(piece, 0, length));
      } else {
        writer.stage(ByteBuffer.allocateDirect(chunk.length()).put(chunk.getBytes()).flip());
      }
      List<DirectFileWriter.Staged> full = writer.takeStaged();
      for (DirectFileWriter.Staged staged : full) {
        received.write(bytesOf(staged.received()));
      }
      waiting.addAll(full);
      if (i % 3 == 2) {
        writer.write(waiting);
        waiting = new ArrayList<>();
      }
    }
    writer.write(waiting);
  }

  private static byte[] bytesOf(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  private static List<Buffer> chunks(byte[] all, int from, int to, Random random) {
    List<Buffer> chunks = new ArrayList<>();
    int at = from;
    while (at < to) {
      int length = Math.min(to - at, 1 + random.nextInt(70_000));
      // Some chunks are slices of a larger buffer, as a received chunk can be.
      Buffer chunk = Buffer.buffer(new byte[3]).appendBytes(all, at, length).slice(3, 3 + length);
      chunks.add(chunk);
      at += length;
    }
    return chunks;
  }
}
