package io.discs.targets.embedded.backing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image reads: the same bytes from the page cache as from the disk, one open file per image. */
class SharedBlockSourcesTest {
  private static final int SIZE = 3 * 1024 * 1024 + 1000; // not a whole number of blocks
  private Vertx vertx;
  private WorkerExecutor io;
  private SharedBlockSources sources;
  private byte[] content;
  private Path file;

  @BeforeEach
  void setUp(@TempDir Path dir) throws Exception {
    vertx = Vertx.vertx();
    io = vertx.createSharedWorkerExecutor("test-io", 2);
    sources = new SharedBlockSources(io);
    content = new byte[SIZE];
    new Random(7).nextBytes(content);
    file = Files.write(dir.resolve("image"), content);
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aResidentReadCompletesAtOnceWithTheSameBytesAsTheFirst() throws Exception {
    BlockSource source = open();
    Buffer first = source.read(4096, 65536).await(10, TimeUnit.SECONDS);
    assertThat(first.getBytes()).isEqualTo(Arrays.copyOfRange(content, 4096, 4096 + 65536));

    // The file was just written and read: its pages are in the page cache, and the first read
    // mapped its segment.
    Future<Buffer> again = source.read(4096, 65536);
    assertThat(again.isComplete()).as("served from the mapping without a worker").isTrue();
    assertThat(again.result().getBytes()).isEqualTo(first.getBytes());
    Future<Buffer> elsewhere = source.read(1_000_000, 4096);
    assertThat(elsewhere.await(10, TimeUnit.SECONDS).getBytes())
        .isEqualTo(Arrays.copyOfRange(content, 1_000_000, 1_004_096));
  }

  @Test
  void residentBytesInsideTheFileCanBeSentAsAFileRangeButNotThePaddingPastItsEnd()
      throws Exception {
    BlockSource source = open();
    assertThat(source.residentRange(0, 65536)).as("before the first read maps the file").isEmpty();
    source.read(0, 4096).await(10, TimeUnit.SECONDS);

    FileRange range = source.residentRange(131072, 65536).orElseThrow();
    assertThat(range.offset()).isEqualTo(131072);
    assertThat(range.length()).isEqualTo(65536);
    byte[] sent = new byte[range.length()];
    try (var in = new java.io.RandomAccessFile(range.path(), "r")) {
      in.seek(range.offset());
      in.readFully(sent);
    }
    assertThat(sent).isEqualTo(Arrays.copyOfRange(content, 131072, 131072 + 65536));
    assertThat(source.residentRange(SIZE - 1000, 2048)).as("the last block's padding").isEmpty();
  }

  @Test
  void bytesPastTheEndReadAsZeros() throws Exception {
    BlockSource source = open();
    source.read(0, 512).await(10, TimeUnit.SECONDS);
    Buffer tail = source.read(SIZE - 1000, 2048).await(10, TimeUnit.SECONDS);
    byte[] expected = new byte[2048];
    System.arraycopy(content, SIZE - 1000, expected, 0, 1000);
    assertThat(tail.getBytes()).isEqualTo(expected);
  }

  @Test
  void targetsOfOneImageShareOneFileUntilTheLastCloses() throws Exception {
    BlockSource a = open();
    BlockSource b = open();
    assertThat(sources.openFiles()).isEqualTo(1);
    a.close();
    a.close(); // twice is once
    assertThat(sources.openFiles()).isEqualTo(1);
    assertThat(b.read(0, 4096).await(10, TimeUnit.SECONDS).getBytes())
        .isEqualTo(Arrays.copyOf(content, 4096));
    b.close();
    assertThat(sources.openFiles()).isZero();
  }

  private BlockSource open() throws Exception {
    return io.executeBlocking(() -> sources.open(file)).await(10, TimeUnit.SECONDS);
  }
}
