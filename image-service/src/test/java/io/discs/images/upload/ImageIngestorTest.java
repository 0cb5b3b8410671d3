package io.discs.images.upload;

import static io.discs.testing.ServiceFailures.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.discs.images.store.LocalImageStore;
import io.discs.platform.Caller;
import io.discs.platform.error.HttpStatus;
import io.discs.platform.events.EventPublisher;
import io.discs.platform.images.ImageBlobs;
import io.discs.testing.DiscImages;
import io.discs.testing.DomainEventLog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.file.OpenOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.serviceproxy.ServiceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The single-upload path on its own: a real store in a temporary folder and real upload sinks,
 * image rows in memory, events caught off the bus. Every refusal leaves nothing behind.
 */
@ExtendWith(VertxExtension.class)
class ImageIngestorTest {
  private static final long MAX_BYTES = 8 << 20;
  private static final Caller OLGA = new Caller("olga", List.of("operator"), "192.0.2.7");

  @TempDir Path dir;

  private Path root;
  private LocalImageStore store;
  private final InMemoryImageRecords records = new InMemoryImageRecords();
  private DomainEventLog events;
  private ImageIngestor ingestor;
  private Vertx vertx;

  @BeforeEach
  void build(Vertx vertx) {
    this.vertx = vertx;
    root = dir.resolve("images");
    store = new LocalImageStore(root);
    events = DomainEventLog.listen(vertx);
    WorkerExecutor io = vertx.createSharedWorkerExecutor("ingestor-test", 4);
    ingestor =
        new ImageIngestor(
            vertx,
            new FileUploadStore(io, store, new UploadSinks(io, new StagingBuffers())),
            records,
            new EventPublisher(vertx.eventBus()),
            MAX_BYTES,
            new SimpleMeterRegistry());
  }

  @Test
  void aDiscIsStoredUnderItsDigestAndAnnounced() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("a.iso"), "ALPHA", 3 << 20, true, 1);
    String sha256 = DiscImages.sha256(iso);

    ImageBlobs.IngestResult result = ingest(iso, "alpha.iso", sha256);

    assertThat(result.created()).isTrue();
    assertThat(result.image().getSha256()).isEqualTo(sha256);
    assertThat(result.image().getVolumeId()).isEqualTo("ALPHA");
    assertThat(result.image().isBootable()).isTrue();
    assertThat(result.image().getCreatedBy()).isEqualTo("olga");
    assertThat(store.pathFor(sha256)).hasSameBinaryContentAs(iso);
    assertThat(temporaryFiles()).isEmpty();
    assertThat(events.first("image.uploaded").getJsonObject("details").getString("sha256"))
        .isEqualTo(sha256);
  }

  @Test
  void theSameBytesAgainAnswerTheImageAlreadyStored() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("b.iso"), "BRAVO", 2 << 20, false, 2);
    ImageBlobs.IngestResult first = ingest(iso, "bravo.iso", null);

    ImageBlobs.IngestResult second = ingest(iso, "bravo-again.iso", null);

    assertThat(second.created()).isFalse();
    assertThat(second.image().getId()).isEqualTo(first.image().getId());
    assertThat(second.image().getName()).isEqualTo("bravo.iso");
    assertThat(temporaryFiles()).isEmpty();
  }

  @Test
  void aDigestThatDiffersIsRefusedAndNothingIsKept() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("c.iso"), "CHARLIE", 2 << 20, false, 3);

    assertFailsWith(() -> ingest(iso, "charlie.iso", "0".repeat(64)), HttpStatus.UNPROCESSABLE);

    assertThat(store.contains(DiscImages.sha256(iso))).isFalse();
    assertThat(records.bySha256).isEmpty();
    assertThat(temporaryFiles()).isEmpty();
    assertThat(events.first("image.rejected").getJsonObject("details").getInteger("status"))
        .isEqualTo(HttpStatus.UNPROCESSABLE);
  }

  @Test
  void bytesThatAreNotADiscAreRefused() throws Exception {
    byte[] noise = new byte[2 << 20];
    new Random(4).nextBytes(noise);
    Path file = Files.write(dir.resolve("noise.bin"), noise);

    assertFailsWith(() -> ingest(file, "noise.iso", null), HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    assertThat(temporaryFiles()).isEmpty();
  }

  @Test
  void aTruncatedDiscIsRefused() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("d.iso"), "DELTA", 4 << 20, false, 5);
    Path cut = dir.resolve("cut.iso");
    Files.write(cut, java.util.Arrays.copyOf(Files.readAllBytes(iso), 3 << 20));

    assertFailsWith(() -> ingest(cut, "delta.iso", null), HttpStatus.UNPROCESSABLE);
    assertThat(temporaryFiles()).isEmpty();
  }

  @Test
  void anImageOverTheLimitIsRefusedWhetherDeclaredOrNot() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("e.iso"), "ECHO", MAX_BYTES + (2 << 20), false, 6);

    assertFailsWith(
        () -> ingestDeclaring(iso, "echo.iso", Files.size(iso)), HttpStatus.CONTENT_TOO_LARGE);
    assertFailsWith(() -> ingest(iso, "echo.iso", null), HttpStatus.CONTENT_TOO_LARGE);
    assertThat(temporaryFiles()).isEmpty();
  }

  @Test
  void aBlankNameIsRefusedInWordsThatFitBothKindsOfUpload() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("f.iso"), "FOXTROT", 2 << 20, false, 7);

    assertThatThrownBy(() -> ingest(iso, " ", null))
        .isInstanceOfSatisfying(
            ServiceException.class,
            e -> {
              assertThat(e.failureCode()).isEqualTo(HttpStatus.BAD_REQUEST);
              assertThat(e.getMessage()).contains("Upload-Metadata").contains("query");
            });
  }

  @Test
  void aStoppingServiceRefusesNewUploads() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("g.iso"), "GOLF", 2 << 20, false, 8);
    ingestor.abandonAll().await(10, TimeUnit.SECONDS);

    assertFailsWith(() -> ingest(iso, "golf.iso", null), HttpStatus.SERVICE_UNAVAILABLE);
    assertThat(temporaryFiles()).isEmpty();
  }

  private ImageBlobs.IngestResult ingest(Path file, String name, String sha256) throws Exception {
    return run(file, new ImageBlobs.IngestRequest(name, sha256, null, OLGA));
  }

  private ImageBlobs.IngestResult ingestDeclaring(Path file, String name, long length)
      throws Exception {
    return run(file, new ImageBlobs.IngestRequest(name, null, length, OLGA));
  }

  private ImageBlobs.IngestResult run(Path file, ImageBlobs.IngestRequest request)
      throws Exception {
    // On an event loop, as a route calls it.
    Promise<ImageBlobs.IngestResult> result = Promise.promise();
    vertx.runOnContext(
        start ->
            vertx
                .fileSystem()
                .open(file.toString(), new OpenOptions().setRead(true))
                .compose(body -> ingestor.ingest(body, request))
                .onComplete(result));
    return result.future().await(30, TimeUnit.SECONDS);
  }

  private List<Path> temporaryFiles() throws IOException {
    Path tmp = root.resolve("tmp");
    if (!Files.exists(tmp)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(tmp)) {
      return files.toList();
    }
  }
}
