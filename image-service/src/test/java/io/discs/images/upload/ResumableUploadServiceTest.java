package io.discs.images.upload;

import static io.discs.testing.ServiceFailures.assertFailsWith;
import static org.assertj.core.api.Assertions.assertThat;

import io.discs.images.store.LocalImageStore;
import io.discs.platform.Caller;
import io.discs.platform.error.HttpStatus;
import io.discs.platform.events.EventPublisher;
import io.discs.platform.images.ResumableUploads.Appended;
import io.discs.platform.images.ResumableUploads.Chunk;
import io.discs.platform.images.ResumableUploads.NewUpload;
import io.discs.platform.images.ResumableUploads.UploadState;
import io.discs.testing.DiscImages;
import io.discs.testing.DomainEventLog;
import io.discs.testing.MovableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.file.OpenOptions;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resumable uploads on their own: upload rows in memory (with the table's cap and expiry), a real
 * store and sinks in a temporary folder, and a clock the test moves to expire uploads.
 */
@ExtendWith(VertxExtension.class)
class ResumableUploadServiceTest {
  private static final long MAX_BYTES = 16 << 20;
  private static final Duration EXPIRY = Duration.ofHours(24);
  private static final Caller OLGA = new Caller("olga", List.of("operator"), "192.0.2.7");
  private static final Caller PIET = new Caller("piet", List.of("operator"), "192.0.2.8");

  @TempDir Path dir;

  private final InMemoryUploadRows rows = new InMemoryUploadRows();
  private final InMemoryImageRecords records = new InMemoryImageRecords();
  private final MovableClock clock = new MovableClock();
  private DomainEventLog events;
  private LocalImageStore store;
  private ResumableUploadService uploads;
  private FileResumableBytes bytes;
  private ImageIngestor ingestor;
  private EventPublisher publisher;
  private Vertx vertx;

  @BeforeEach
  void build(Vertx vertx) {
    this.vertx = vertx;
    store = new LocalImageStore(dir.resolve("images"));
    events = DomainEventLog.listen(vertx);
    WorkerExecutor io = vertx.createSharedWorkerExecutor("resumable-test", 4);
    UploadSinks sinks = new UploadSinks(io, new StagingBuffers());
    publisher = new EventPublisher(vertx.eventBus());
    FileUploadStore onDisk = new FileUploadStore(io, store, sinks);
    ingestor =
        new ImageIngestor(vertx, onDisk, records, publisher, MAX_BYTES, new SimpleMeterRegistry());
    bytes = new FileResumableBytes(io, store, sinks, onDisk);
    uploads = serviceOn(bytes);
  }

  private ResumableUploadService serviceOn(ResumableBytes held) {
    return new ResumableUploadService(held, rows, ingestor, publisher, MAX_BYTES, EXPIRY, clock);
  }

  @Test
  void chunksAppendedInOrderBecomeTheImageAndTheUploadsFileGoes() throws Exception {
    byte[] iso = iso("ALPHA", 3 << 20, 1);
    UploadState created = create(OLGA, iso.length, sha256Hex(iso));
    int half = iso.length / 2 + 1234;

    Appended first = append(created.id(), 0, Arrays.copyOfRange(iso, 0, half), null, OLGA);
    assertThat(first.state().offset()).isEqualTo(half);
    assertThat(first.image()).isNull();

    Appended last =
        append(created.id(), half, Arrays.copyOfRange(iso, half, iso.length), null, OLGA);

    assertThat(last.state().complete()).isTrue();
    assertThat(last.image().created()).isTrue();
    assertThat(last.image().image().getSha256()).isEqualTo(sha256Hex(iso));
    assertThat(store.pathFor(sha256Hex(iso))).content().isNotNull();
    assertThat(Files.readAllBytes(store.pathFor(sha256Hex(iso)))).isEqualTo(iso);
    assertThat(store.resumableFile(UUID.fromString(created.id()))).doesNotExist();
  }

  @Test
  void aChunkAtTheWrongOffsetIsAConflictAndChangesNothing() throws Exception {
    byte[] iso = iso("BRAVO", 2 << 20, 2);
    UploadState created = create(OLGA, iso.length, null);
    append(created.id(), 0, Arrays.copyOfRange(iso, 0, 1000), null, OLGA);

    assertFailsWith(
        () -> append(created.id(), 999, Arrays.copyOfRange(iso, 999, 3000), null, OLGA),
        HttpStatus.CONFLICT);
    assertThat(state(created.id(), OLGA).offset()).isEqualTo(1000);
  }

  @Test
  void ofTwoNodesSendingTheSameOffsetTheOneRecordedFirstIsKeptAndTheOtherIsAConflict()
      throws Exception {
    byte[] iso = iso("RACE", 2 << 20, 9);
    UploadState created = create(OLGA, iso.length, null);
    append(created.id(), 0, Arrays.copyOfRange(iso, 0, 1000), null, OLGA);
    // While this node takes its chunk, another node records 500 bytes at the same offset.
    ResumableBytes raced =
        new ResumableBytes() {
          @Override
          public Future<Void> create(UUID id) {
            return bytes.create(id);
          }

          @Override
          public Future<ChunkSink> append(
              UploadRows.Row row, MessageDigest sha256, boolean checkChunk) {
            return rows.advance(row.id(), 1000, 1500, null, row.expiresAt())
                .compose(other -> bytes.append(row, sha256, checkChunk));
          }

          @Override
          public Future<MessageDigest> rehash(UploadRows.Row row) {
            return bytes.rehash(row);
          }

          @Override
          public Future<byte[]> prefix(UploadRows.Row row, int length) {
            return bytes.prefix(row, length);
          }

          @Override
          public BlobCommit finished(UploadRows.Row row) {
            return bytes.finished(row);
          }

          @Override
          public Future<Void> delete(UUID id) {
            return bytes.delete(id);
          }

          @Override
          public Future<java.util.Set<UUID>> held() {
            return bytes.held();
          }
        };
    uploads = serviceOn(raced);

    assertFailsWith(
        () -> append(created.id(), 1000, Arrays.copyOfRange(iso, 1000, 3000), null, OLGA),
        HttpStatus.CONFLICT);
    assertThat(state(created.id(), OLGA).offset()).isEqualTo(1500);
  }

  @Test
  void aChunkThatDoesNotMatchItsChecksumIsNotKept() throws Exception {
    byte[] iso = iso("CHARLIE", 2 << 20, 3);
    UploadState created = create(OLGA, iso.length, null);
    byte[] chunk = Arrays.copyOfRange(iso, 0, 100_000);
    byte[] wrong = MessageDigest.getInstance("SHA-256").digest(new byte[] {1, 2, 3});

    assertFailsWith(
        () -> append(created.id(), 0, chunk, wrong, OLGA), HttpStatus.CHECKSUM_MISMATCH);
    assertThat(state(created.id(), OLGA).offset()).isZero();

    byte[] right = MessageDigest.getInstance("SHA-256").digest(chunk);
    assertThat(append(created.id(), 0, chunk, right, OLGA).state().offset())
        .isEqualTo(chunk.length);
  }

  @Test
  void anotherUsersUploadDoesNotExistForThem() throws Exception {
    UploadState created = create(OLGA, 4 << 20, null);

    assertFailsWith(() -> state(created.id(), PIET), HttpStatus.NOT_FOUND);
    assertFailsWith(() -> call(() -> uploads.terminate(created.id(), PIET)), HttpStatus.NOT_FOUND);
    assertThat(state(created.id(), OLGA).offset()).isZero();
  }

  @Test
  void anOwnerHasAtMostSixteenUnfinishedUploads() throws Exception {
    for (int i = 0; i < ResumableUploadService.MAX_UNFINISHED_PER_USER; i++) {
      create(OLGA, 4 << 20, null);
    }

    assertFailsWith(() -> create(OLGA, 4 << 20, null), HttpStatus.TOO_MANY_REQUESTS);
    assertThat(create(PIET, 4 << 20, null).offset()).isZero();
  }

  @Test
  void anUploadLeftAloneExpiresWithItsFileWhenTheClockPassesItsExpiry() throws Exception {
    byte[] iso = iso("DELTA", 2 << 20, 4);
    UploadState created = create(OLGA, iso.length, null);
    append(created.id(), 0, Arrays.copyOfRange(iso, 0, 5000), null, OLGA);
    Path file = store.resumableFile(UUID.fromString(created.id()));
    assertThat(file).exists();

    clock.advance(EXPIRY.minusMinutes(1));
    assertThat(call(uploads::sweep)).isZero();
    assertThat(file).exists();

    clock.advance(Duration.ofMinutes(2));
    assertThat(call(uploads::sweep)).isEqualTo(1);
    assertThat(file).doesNotExist();
    assertFailsWith(() -> state(created.id(), OLGA), HttpStatus.NOT_FOUND);
    assertThat(events.first("upload.expired")).isNotNull();
  }

  @Test
  void terminatingRemovesTheRowAndTheFile() throws Exception {
    UploadState created = create(OLGA, 4 << 20, null);
    Path file = store.resumableFile(UUID.fromString(created.id()));

    call(() -> uploads.terminate(created.id(), OLGA));

    assertThat(file).doesNotExist();
    assertThat(rows.rows).isEmpty();
  }

  @Test
  void anUploadLongerThanTheLimitIsRefusedAtCreation() {
    assertFailsWith(() -> create(OLGA, MAX_BYTES + 1, null), HttpStatus.CONTENT_TOO_LARGE);
    assertThat(rows.rows).isEmpty();
  }

  private UploadState create(Caller caller, long length, String sha256) throws Exception {
    return call(() -> uploads.create(new NewUpload("disc.iso", length, sha256, caller)));
  }

  private UploadState state(String id, Caller caller) throws Exception {
    return call(() -> uploads.state(id, caller));
  }

  private Appended append(String id, long offset, byte[] bytes, byte[] sha256, Caller caller)
      throws Exception {
    Path chunk = Files.write(dir.resolve("chunk-" + UUID.randomUUID()), bytes);
    return call(
        () ->
            vertx
                .fileSystem()
                .open(chunk.toString(), new OpenOptions().setRead(true))
                .compose(
                    body ->
                        uploads.append(
                            id, new Chunk(offset, (long) bytes.length, sha256), body, caller)));
  }

  /** On an event loop, as a route calls the service. */
  private <T> T call(Supplier<Future<T>> call) throws Exception {
    Promise<T> result = Promise.promise();
    vertx.runOnContext(start -> call.get().onComplete(result));
    return result.future().await(30, TimeUnit.SECONDS);
  }

  private byte[] iso(String volume, int size, long seed) throws Exception {
    return Files.readAllBytes(
        DiscImages.iso9660(dir.resolve(volume + ".iso"), volume, size, false, seed));
  }

  private static String sha256Hex(byte[] bytes) throws Exception {
    return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
