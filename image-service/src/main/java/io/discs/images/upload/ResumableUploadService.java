package io.discs.images.upload;

import io.discs.images.inspect.DiscInspector;
import io.discs.platform.Caller;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.events.DomainEvent;
import io.discs.platform.events.DomainEvent.Outcome;
import io.discs.platform.events.EventPublisher;
import io.discs.platform.images.ImageBlobs;
import io.discs.platform.images.ResumableUploads;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.serviceproxy.ServiceException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resumable uploads: a row per upload (offset, owner, expiry, where its bytes are) and the bytes
 * themselves ({@link ResumableBytes}: this node's disk, or a bucket any image node continues from).
 * The running SHA-256 of each upload is kept in memory while the process lives; after a restart, or
 * on a node that did not take the upload's last chunk, it is rebuilt from the bytes the first time
 * the upload continues. A chunk is recorded only if the row still has the offset it started from,
 * so of two requests racing on one upload (on two nodes) one is kept whole and the other not at
 * all. When the last byte arrives, the bytes go through the same checks as a single upload ({@link
 * ImageIngestor}).
 */
public final class ResumableUploadService implements ResumableUploads {
  private static final Logger LOG = LoggerFactory.getLogger(ResumableUploadService.class);

  /** Unfinished uploads one user may hold at once. */
  static final int MAX_UNFINISHED_PER_USER = 16;

  private final ResumableBytes bytes;
  private final UploadRows rows;
  private final Clock clock;
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
      ResumableBytes bytes,
      UploadRows rows,
      ImageIngestor ingestor,
      EventPublisher events,
      long maxBytes,
      Duration expiry,
      Clock clock) {
    this.clock = clock;
    this.bytes = bytes;
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
    return bytes
        .create(id)
        .compose(
            made ->
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
                        failure -> bytes.delete(id).transform(v -> Future.failedFuture(failure))))
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
    return digestAt(row)
        .compose(
            sha256 ->
                bytes
                    .append(row, sha256, chunk.sha256() != null)
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
      ChunkSink sink,
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
                          rows.advance(row.id(), row.received(), now, sink.pieces(), expiresAt())
                              .onFailure(e -> running.remove(row.id())))
                  .compose(
                      updated -> {
                        if (updated.isEmpty()) {
                          running.remove(row.id());
                          return lostTheRace(row);
                        }
                        UploadRows.Row after = updated.get();
                        running.put(row.id(), new Running(sink.digest(), after.received()));
                        return Future.succeededFuture(new Received(after, failure));
                      });
            });
  }

  /**
   * The row moved on (or went) while this chunk arrived: another request, perhaps on another image
   * node, recorded its chunk first. This one is not kept.
   */
  private Future<Received> lostTheRace(UploadRows.Row row) {
    return rows.get(row.id())
        .compose(
            now ->
                Future.failedFuture(
                    now.isEmpty()
                        ? DomainErrors.gone("the upload was removed")
                        : DomainErrors.conflict(
                            "another request added to this upload first (it now has "
                                + now.get().received()
                                + " bytes); this chunk was not kept")));
  }

  /** The new offset, when the chunk matches the checksum its client sent (if it sent one). */
  private Future<Long> checked(
      UploadRows.Row row, Chunk chunk, ChunkSink sink, MessageDigest before) {
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
    ImageBlobs.IngestRequest request =
        new ImageBlobs.IngestRequest(row.name(), row.expectedSha256(), row.length(), caller);
    return bytes
        .prefix(row, DiscInspector.PREFIX_BYTES)
        .compose(
            prefix ->
                ingestor.accept(
                    new ImageIngestor.Received(bytes.finished(row), row.length(), sha256, prefix),
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
                bytes
                    .delete(row.id())
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
              // Held bytes are listed before the rows: bytes only ever follow their row, so
              // an upload whose bytes are listed and whose row is not is gone for good.
              return bytes
                  .held()
                  .compose(
                      held ->
                          rows.unfinishedIds()
                              .compose(
                                  wanted -> {
                                    List<Future<Void>> removals = new ArrayList<>();
                                    for (UUID kept : held) {
                                      if (!wanted.contains(kept) && !busy.contains(kept)) {
                                        removals.add(bytes.delete(kept));
                                      }
                                    }
                                    return Future.all(removals).map(all -> removals.size());
                                  }))
                  .map(files -> Math.max(files, expired.size()));
            });
  }

  private Future<Void> remove(UploadRows.Row row) {
    running.remove(row.id());
    return rows.delete(row.id()).compose(v -> bytes.delete(row.id()));
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
   * bytes kept (after a restart, after a request that failed half-way, or when the last chunk came
   * through another node).
   */
  private Future<MessageDigest> digestAt(UploadRows.Row row) {
    Running known = running.get(row.id());
    if (known != null && known.upTo() == row.received()) {
      return Future.succeededFuture(known.sha256());
    }
    if (row.received() == 0) {
      return Future.succeededFuture(UploadMeter.newSha256());
    }
    return bytes
        .rehash(row)
        .onSuccess(
            digest -> LOG.info("upload {}: rehashed its first {} bytes", row.id(), row.received()));
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
