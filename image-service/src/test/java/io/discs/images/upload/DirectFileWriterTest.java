package io.discs.images.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
      try (DirectFileWriter writer = DirectFileWriter.open(file, at, 64 << 10)) {
        stageAndWrite(writer, chunks(all, at, end, random));
        writer.finish();
      }
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
    try (DirectFileWriter writer = DirectFileWriter.open(file, recorded, 64 << 10)) {
      stageAndWrite(writer, List.of(Buffer.buffer(more)));
      writer.finish();
    }
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(before, 0, recorded);
    expected.write(more);
    assertThat(Files.readAllBytes(file)).isEqualTo(expected.toByteArray());
  }

  /**
   * As the upload's two stages do: chunks staged piece by piece, the full buffers written a batch
   * at a time, while later chunks are already being staged.
   */
  private static void stageAndWrite(DirectFileWriter writer, List<Buffer> chunks)
      throws IOException {
    BufferBytes bytes = new BufferBytes();
    List<DirectFileWriter.Staged> waiting = List.of();
    for (int i = 0; i < chunks.size(); i++) {
      bytes.read(chunks.get(i), (piece, length) -> writer.stage(piece, 0, length));
      if (i % 3 == 2) {
        writer.write(waiting);
        waiting = writer.takeStaged();
      }
    }
    writer.write(waiting);
    writer.write(writer.takeStaged());
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
