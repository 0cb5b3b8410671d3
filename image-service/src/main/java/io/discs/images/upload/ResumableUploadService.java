package io.discs.images.upload;

import io.discs.images.inspect.DiscInspector;
import io.discs.images.store.ImageStore;
import io.discs.platform.Caller;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.events.DomainEvent;
import io.discs.platform.events.DomainEvent.Outcome;
import io.discs.platform.events.EventPublisher;
import io.discs.platform.images.ImageBlobs;
import io.discs.platform.images.ResumableUploads;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.serviceproxy.ServiceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumable uploads: a row per upload (offset, owner, expiry) and a file in the store's resumable
 * folder. The running SHA-256 of each upload is kept in memory while the process lives; after a
 * restart it is rebuilt from the file's bytes the first time the upload continues. When the last
 * byte arrives, the file goes through the same checks as a single upload ({@link ImageIngestor}).
 */
public final class ResumableUploadService implements ResumableUploads {
  private static final Logger LOG = LoggerFactory.getLogger(ResumableUploadService.class);

  /** Unfinished uploads one user may hold at once. */
  static final int MAX_UNFINISHED_PER_USER = 16;

  private static final int REHASH_BLOCK = 1 << 20;

  private final WorkerExecutor io;
  private final UploadSinks sinks;
  private final ImageStore store;
  private final UploadRows rows;
  private final Clock clock;
  private final Function<Path, BlobCommit> finished;
  private final ImageIngestor ingestor;
  private final EventPublisher events;
  private final long maxBytes;
  private final Duration expiry;

  /** The running digest of each upload, valid for exactly {@code upTo} bytes. */
  private final Map<UUID, Running> running = new ConcurrentHashMap<>();

  /** Uploads a request is appending to (or removing) right now: one at a time each. */
  private final Set<UUID> busy = ConcurrentHashMap.newKeySet();

  private record Running(MessageDigest sha256, long upTo) {}

  public ResumableUploadService(
      WorkerExecutor io,
      UploadSinks sinks,
      ImageStore store,
      UploadRows rows,
      ImageIngestor ingestor,
      EventPublisher events,
      long maxBytes,
      Duration expiry,
      Clock clock,
      Function<Path, BlobCommit> finished) {
    this.clock = clock;
    this.finished = finished;
    this.io = io;
    this.sinks = sinks;
    this.store = store;
    this.rows = rows;
    this.ingestor = ingestor;
    this.events = events;
    this.maxBytes = maxBytes;
    this.expiry = expiry;
  }

  @Override
  public Future<UploadState> create(NewUpload request) {
    try {
      ImageIngestor.checkName(request.name());
    } catch (ServiceException e) {
      return Future.failedFuture(e);
    }
    if (request.length() <= 0) {
      return Future.failedFuture(DomainErrors.badRequest("Upload-Length must be at least 1"));
    }
    if (request.length() > maxBytes) {
      return Future.failedFuture(DomainErrors.imageTooLarge(maxBytes));
    }
    UUID id = UUID.randomUUID();
    String owner = request.caller().getUsername();
    return io.executeBlocking(() -> store.newResumableFile(id), false)
        .compose(
            file ->
                rows.insertWithin(
                        MAX_UNFINISHED_PER_USER,
                        id,
                        owner,
                        request.name(),
                        request.length(),
                        request.expectedSha256(),
                        expiresAt())
                    .compose(
                        row ->
                            row.map(Future::succeededFuture)
                                .orElseGet(
                                    () ->
                                        Future.failedFuture(
                                            DomainErrors.tooManyRequests(
                                                "you have "
                                                    + MAX_UNFINISHED_PER_USER
                                                    + " unfinished uploads; finish or delete one"
                                                    + " first"))))
                    .recover(
                        failure ->
                            io.executeBlocking(() -> Files.deleteIfExists(file), false)
                                .transform(v -> Future.failedFuture(failure))))
        .map(ResumableUploadService::state)
        .onSuccess(
            state ->
                events.publish(
                    DomainEvent.of(
                        "upload.created",
                        owner,
                        "upload/" + id,
                        Outcome.SUCCESS,
                        request.caller().getSourceIp(),
                        new JsonObject()
                            .put("name", request.name())
                            .put("length", request.length()))));
  }

  @Override
  public Future<UploadState> state(String id, Caller caller) {
    return own(id, caller).map(ResumableUploadService::state);
  }

  @Override
  public Future<Appended> append(String id, Chunk chunk, ReadStream<Buffer> body, Caller caller) {
    return own(id, caller)
        .compose(
            row -> {
              if (!busy.add(row.id())) {
                return Future.failedFuture(
                    DomainErrors.locked(
                        "another request is sending to this upload; try again shortly"));
              }
              return appendTo(row, chunk, body, caller).andThen(done -> busy.remove(row.id()));
            });
  }

  private Future<Appended> appendTo(
      UploadRows.Row row, Chunk chunk, ReadStream<Buffer> body, Caller caller) {
    if (row.imageId() != null) {
      return Future.failedFuture(
          DomainErrors.conflict("the upload is complete: it became image " + row.imageId()));
    }
    if (chunk.offset() != row.received()) {
      return Future.failedFuture(
          DomainErrors.conflict(
              "Upload-Offset is " + chunk.offset() + " but the upload has " + row.received()));
    }
    long room = row.length() - row.received();
    if (chunk.declaredLength() != null && chunk.declaredLength() > room) {
      return Future.failedFuture(pastTheEnd(row));
    }
    Path file = store.resumableFile(row.id());
    return digestAt(row, file)
        .compose(
            sha256 ->
                sinks
                    .append(file, row.received(), sha256, chunk.sha256() != null, room)
                    .compose(sink -> receive(row, chunk, body, sink, copy(sha256))))
        .compose(
            received -> {
              if (received.row().received() == row.length()) {
                return finish(received.row(), caller);
              }
              return received.failure() == null
                  ? Future.succeededFuture(new Appended(state(received.row()), null))
                  : Future.failedFuture(received.failure());
            });
  }

  /** What one request added: the row after it, and the failure to answer once it is recorded. */
  private record Received(UploadRows.Row row, ServiceException failure) {}

  private Future<Received> receive(
      UploadRows.Row row,
      Chunk chunk,
      ReadStream<Buffer> body,
      UploadSink sink,
      MessageDigest before) {
    return body.pipe()
        .endOnFailure(false)
        .to(sink)
        .transform(
            piped -> {
              if (piped.failed() && (sink.exceededLimit() || chunk.sha256() != null)) {
                // Past the end, or a checked chunk that did not arrive whole (so cannot be
                // checked): none of it is kept, and the digest goes back to before it.
                ServiceException refusal =
                    sink.exceededLimit()
                        ? pastTheEnd(row)
                        : ImageIngestor.transferFailure(piped.cause());
                running.put(row.id(), new Running(before, row.received()));
                return sink.abandon().transform(v -> Future.failedFuture(refusal));
              }
              ServiceException failure =
                  piped.failed() ? ImageIngestor.transferFailure(piped.cause()) : null;
              return sink.end()
                  .onFailure(e -> running.remove(row.id()))
                  .compose(v -> checked(row, chunk, sink, before))
                  .compose(
                      now ->
                          rows.advance(row.id(), now, expiresAt())
                              .onFailure(e -> running.remove(row.id())))
                  .map(
                      updated -> {
                        UploadRows.Row after =
                            updated.orElseThrow(() -> DomainErrors.gone("the upload was removed"));
                        running.put(row.id(), new Running(sink.digest(), after.received()));
                        return new Received(after, failure);
                      });
            });
  }

  /** The new offset, when the chunk matches the checksum its client sent (if it sent one). */
  private Future<Long> checked(
      UploadRows.Row row, Chunk chunk, UploadSink sink, MessageDigest before) {
    if (chunk.sha256() != null && !MessageDigest.isEqual(chunk.sha256(), sink.chunkSha256())) {
      running.put(row.id(), new Running(before, row.received()));
      return Future.failedFuture(
          DomainErrors.checksumMismatch(
              "the chunk's SHA-256 differs from its Upload-Checksum: not kept"));
    }
    return Future.succeededFuture(row.received() + sink.size());
  }

  /** The last byte arrived: the same checks as a single upload, then the upload is complete. */
  private Future<Appended> finish(UploadRows.Row row, Caller caller) {
    Running done = running.remove(row.id());
    String sha256 = HexFormat.of().formatHex(done.sha256().digest());
    Path file = store.resumableFile(row.id());
    ImageBlobs.IngestRequest request =
        new ImageBlobs.IngestRequest(row.name(), row.expectedSha256(), row.length(), caller);
    return io.executeBlocking(() -> prefixOf(file), false)
        .compose(
            prefix ->
                ingestor.accept(
                    new ImageIngestor.Received(finished.apply(file), row.length(), sha256, prefix),
                    request))
        .transform(outcome -> ingestor.reported(outcome, request))
        .compose(
            result ->
                rows.complete(row.id(), UUID.fromString(result.image().getId()), expiresAt())
                    .map(
                        completed ->
                            new Appended(
                                completed.map(ResumableUploadService::state).orElseThrow(),
                                result)),
            refused ->
                io.executeBlocking(() -> Files.deleteIfExists(file), false)
                    .compose(v -> rows.delete(row.id()))
                    .transform(v -> Future.failedFuture(refused)));
  }

  @Override
  public Future<Void> terminate(String id, Caller caller) {
    return own(id, caller)
        .compose(
            row -> {
              if (!busy.add(row.id())) {
                return Future.failedFuture(
                    DomainErrors.locked("a request is sending to this upload right now"));
              }
              return remove(row)
                  .onSuccess(
                      v ->
                          events.publish(
                              DomainEvent.of(
                                  "upload.terminated",
                                  caller.getUsername(),
                                  "upload/" + row.id(),
                                  Outcome.SUCCESS,
                                  caller.getSourceIp(),
                                  new JsonObject()
                                      .put("name", row.name())
                                      .put("received", row.received()))))
                  .andThen(done -> busy.remove(row.id()));
            });
  }

  /**
   * Removes expired uploads, files whose row is gone and rows whose file is gone; answers how many
   * uploads it removed. Runs at start and then periodically.
   */
  public Future<Integer> sweep() {
    return rows.deleteExpired(OffsetDateTime.now(clock))
        .compose(
            expired -> {
              for (UploadRows.Row row : expired) {
                running.remove(row.id());
                events.publish(
                    DomainEvent.of(
                        "upload.expired",
                        "system",
                        "upload/" + row.id(),
                        Outcome.FAILURE,
                        null,
                        new JsonObject()
                            .put("name", row.name())
                            .put("owner", row.owner())
                            .put("received", row.received())));
              }
              return rows.unfinishedIds()
                  .compose(
                      wanted ->
                          io.executeBlocking(
                              () -> {
                                int removed = 0;
                                for (UUID onDisk : store.resumableUploads()) {
                                  if (!wanted.contains(onDisk) && !busy.contains(onDisk)) {
                                    removed +=
                                        Files.deleteIfExists(store.resumableFile(onDisk)) ? 1 : 0;
                                  }
                                }
                                return removed;
                              },
                              false))
                  .map(files -> Math.max(files, expired.size()));
            });
  }

  private Future<Void> remove(UploadRows.Row row) {
    running.remove(row.id());
    return rows.delete(row.id())
        .compose(
            v ->
                io.executeBlocking(
                    () -> Files.deleteIfExists(store.resumableFile(row.id())), false))
        .mapEmpty();
  }

  /** The upload, if it exists and belongs to the caller; to anyone else it does not exist. */
  private Future<UploadRows.Row> own(String id, Caller caller) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(DomainErrors.notFound("no upload " + id));
    }
    return rows.get(uuid)
        .map(
            row ->
                row.filter(r -> r.owner().equals(caller.getUsername()))
                    .orElseThrow(() -> DomainErrors.notFound("no upload " + id)));
  }

  /**
   * The upload's running digest at its recorded offset: the one in memory, or rebuilt from the
   * file's first bytes (after a restart, or after a request that failed half-way).
   */
  private Future<MessageDigest> digestAt(UploadRows.Row row, Path file) {
    Running known = running.get(row.id());
    if (known != null && known.upTo() == row.received()) {
      return Future.succeededFuture(known.sha256());
    }
    if (row.received() == 0) {
      return Future.succeededFuture(UploadSink.newSha256());
    }
    return io.executeBlocking(() -> rehash(file, row.received()), false)
        .onSuccess(
            digest -> LOG.info("upload {}: rehashed its first {} bytes", row.id(), row.received()));
  }

  private static MessageDigest rehash(Path file, long upTo) throws IOException {
    MessageDigest sha256 = UploadSink.newSha256();
    if (!Files.exists(file)) {
      throw DomainErrors.gone("the upload's bytes are gone");
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() < upTo) {
        throw DomainErrors.gone("the upload's file is shorter than its recorded offset");
      }
      ByteBuffer block = ByteBuffer.allocate(REHASH_BLOCK);
      long at = 0;
      while (at < upTo) {
        block.clear().limit((int) Math.min(REHASH_BLOCK, upTo - at));
        int read = channel.read(block, at);
        if (read < 0) {
          throw new IOException("unexpected end of " + file);
        }
        sha256.update(block.array(), 0, read);
        at += read;
      }
    }
    return sha256;
  }

  private static byte[] prefixOf(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(DiscInspector.PREFIX_BYTES);
    }
  }

  private static MessageDigest copy(MessageDigest digest) {
    try {
      return (MessageDigest) digest.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digests can be cloned", e);
    }
  }

  private static ServiceException pastTheEnd(UploadRows.Row row) {
    return DomainErrors.tooLarge(
        "the chunk goes past the upload's length of " + row.length() + " bytes");
  }

  private OffsetDateTime expiresAt() {
    return OffsetDateTime.now(clock).plus(expiry);
  }

  private static UploadState state(UploadRows.Row row) {
    return new UploadState(
        row.id().toString(),
        row.name(),
        row.length(),
        row.received(),
        row.expiresAt().toInstant(),
        row.imageId() == null ? null : row.imageId().toString());
  }
}
