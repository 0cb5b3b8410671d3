package io.discs.images.upload;

import io.discs.images.inspect.DiscInspector;
import io.discs.images.inspect.Inspection;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.error.HttpStatus;
import io.discs.platform.events.DomainEvent;
import io.discs.platform.events.DomainEvent.Outcome;
import io.discs.platform.events.EventPublisher;
import io.discs.platform.images.Image;
import io.discs.platform.images.ImageBlobs;
import io.discs.platform.text.UnsafeCharacters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;
import io.vertx.serviceproxy.ServiceException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams an upload into the store: hash, inspect and count while the bytes arrive, then accept
 * (rename into place, insert the row) or reject (remove the temporary file). An image exists only
 * when all of it succeeded.
 */
public final class ImageIngestor {
  private static final Logger LOG = LoggerFactory.getLogger(ImageIngestor.class);
  private static final int MAX_NAME_BYTES = 255;

  private final Vertx vertx;
  private final UploadStore uploads;
  private final ImageRecords records;
  private final EventPublisher events;
  private final long maxBytes;
  private final Counter bytesUploaded;
  private final Timer uploadTime;
  private final MeterRegistry registry;

  public ImageIngestor(
      Vertx vertx,
      UploadStore uploads,
      ImageRecords records,
      EventPublisher events,
      long maxBytes,
      MeterRegistry registry) {
    this.vertx = vertx;
    this.uploads = uploads;
    this.records = records;
    this.events = events;
    this.maxBytes = maxBytes;
    this.registry = registry;
    this.bytesUploaded =
        Counter.builder("discs.image.upload.bytes")
            .description("bytes of accepted uploads")
            .baseUnit("bytes")
            .register(registry);
    this.uploadTime =
        Timer.builder("discs.image.upload.duration")
            .description("time to receive and store an upload")
            .register(registry);
  }

  public Future<ImageBlobs.IngestResult> ingest(
      ReadStream<Buffer> body, ImageBlobs.IngestRequest request) {
    Timer.Sample timing = Timer.start(registry);
    try {
      checkName(request.name());
      if (request.declaredLength() != null && request.declaredLength() > maxBytes) {
        throw DomainErrors.imageTooLarge(maxBytes);
      }
    } catch (ServiceException e) {
      return rejected(request, e);
    }
    return uploads
        .begin(maxBytes, request.expectedSha256())
        .compose(
            pending ->
                body.pipeTo(pending.sink())
                    .recover(
                        failure -> {
                          ServiceException error =
                              pending.exceededLimit()
                                  ? pending.tooLargeError()
                                  : transferFailure(failure);
                          return pending.abandon().transform(v -> Future.failedFuture(error));
                        })
                    .compose(
                        v ->
                            accept(
                                new Received(
                                    pending.commit(),
                                    pending.size(),
                                    pending.sha256Hex(),
                                    pending.prefix()),
                                request))
                    .recover(
                        failure ->
                            pending.commit().drop().transform(v -> Future.failedFuture(failure))))
        .andThen(done -> timing.stop(uploadTime))
        .transform(outcome -> reported(outcome, request));
  }

  /**
   * Publishes how an upload ended ({@code image.uploaded} or {@code image.rejected}) and answers
   * the outcome, its failure as a {@code ServiceException}.
   */
  Future<ImageBlobs.IngestResult> reported(
      io.vertx.core.AsyncResult<ImageBlobs.IngestResult> outcome,
      ImageBlobs.IngestRequest request) {
    if (outcome.failed()) {
      return rejected(request, outcome.cause());
    }
    ImageBlobs.IngestResult result = outcome.result();
    if (result.created()) {
      bytesUploaded.increment((double) result.image().getSizeBytes());
    }
    events.publish(
        DomainEvent.of(
            "image.uploaded",
            request.caller().getUsername(),
            "image/" + result.image().getId(),
            Outcome.SUCCESS,
            request.caller().getSourceIp(),
            new JsonObject()
                .put("name", result.image().getName())
                .put("sha256", result.image().getSha256())
                .put("sizeBytes", result.image().getSizeBytes())
                .put("alreadyStored", !result.created())));
    return Future.succeededFuture(result);
  }

  /** A complete upload's bytes, hashed, waiting to be kept or dropped. */
  record Received(BlobCommit blob, long size, String sha256, byte[] prefix) {}

  /**
   * For a stopping service: removes the temporary file of every upload under way now (Linux lets
   * the writer finish into the unlinked file), so a stop leaves nothing behind; those uploads fail.
   */
  public Future<Integer> abandonAll() {
    return uploads.abandonAll();
  }

  /**
   * Checks a complete upload (digest, kind, size) and makes it an image, or the same bytes' image
   * if they are stored already. The file is moved into the store or removed; on a refusal it stays,
   * for the caller to remove.
   */
  Future<ImageBlobs.IngestResult> accept(Received received, ImageBlobs.IngestRequest request) {
    String sha256 = received.sha256();
    if (request.expectedSha256() != null && !request.expectedSha256().equals(sha256)) {
      return Future.failedFuture(
          DomainErrors.unprocessable(
              "the body's SHA-256 is "
                  + sha256
                  + ", not the "
                  + request.expectedSha256()
                  + " its digest header announced"));
    }
    Inspection inspection = DiscInspector.inspect(received.prefix(), received.size());
    if (inspection instanceof Inspection.NotADisc notADisc) {
      return Future.failedFuture(
          DomainErrors.unsupportedMedia("not an ISO 9660 or UDF image: " + notADisc.reason()));
    }
    Inspection.Disc disc = (Inspection.Disc) inspection;
    if (received.size() < Image.MIN_BYTES) {
      return Future.failedFuture(
          DomainErrors.unprocessable(
              "the image is "
                  + received.size()
                  + " bytes; targets serve images of "
                  + Image.MIN_BYTES
                  + " bytes or more"));
    }
    if (disc.requiredBytes() > received.size()) {
      return Future.failedFuture(
          DomainErrors.unprocessable(
              "the image is truncated: its "
                  + (disc.format().equals("udf") ? "UDF partition" : "volume descriptor")
                  + " claims "
                  + disc.requiredBytes()
                  + " bytes, the upload has "
                  + received.size()));
    }
    return records
        .findBySha256(sha256)
        .compose(
            existing -> {
              if (existing.isPresent()) {
                return received
                    .blob()
                    .drop()
                    .map(v -> new ImageBlobs.IngestResult(existing.get(), false));
              }
              return received
                  .blob()
                  .keep(sha256)
                  .compose(
                      kept ->
                          records.insert(
                              request.name(),
                              received.size(),
                              sha256,
                              disc,
                              request.caller().getUsername()));
            });
  }

  private Future<ImageBlobs.IngestResult> rejected(
      ImageBlobs.IngestRequest request, Throwable failure) {
    ServiceException error = translate(failure);
    registry.counter("discs.image.rejected", "reason", reason(error.failureCode())).increment();
    events.publish(
        DomainEvent.of(
            "image.rejected",
            request.caller().getUsername(),
            "image/upload",
            Outcome.FAILURE,
            request.caller().getSourceIp(),
            new JsonObject()
                .put("name", request.name())
                .put("status", error.failureCode())
                .put("reason", error.getMessage())));
    return Future.failedFuture(error);
  }

  /**
   * While the bytes flow, a failure that is neither ours nor the disk's is the client's side of the
   * connection (closed, reset): the upload did not complete.
   */
  static ServiceException transferFailure(Throwable failure) {
    ServiceException known = known(failure);
    if (known != null) {
      return known;
    }
    if (failure instanceof IllegalStateException ours) {
      // Not the client's doing: the store could not take what arrived.
      LOG.warn("an upload could not be taken whole", ours);
      return DomainErrors.internal("the upload could not be stored");
    }
    LOG.debug("upload stream ended by {}", failure.toString());
    return DomainErrors.uploadCutShort();
  }

  /** After the transfer, an unknown failure is ours: logged, and answered without its detail. */
  private static ServiceException translate(Throwable failure) {
    ServiceException known = known(failure);
    if (known != null) {
      return known;
    }
    LOG.warn("storing an upload failed", failure);
    return DomainErrors.internal("the upload could not be stored");
  }

  /** Our own errors may arrive wrapped (a pipe wraps what its destination refused). */
  private static ServiceException known(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ServiceException service) {
        return service;
      }
    }
    return isDiskFull(failure) ? DomainErrors.insufficientStorage("the image store is full") : null;
  }

  private static boolean isDiskFull(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof StoreFullException) {
        return true;
      }
    }
    return false;
  }

  private static String reason(int status) {
    return switch (status) {
      case HttpStatus.BAD_REQUEST -> "bad_request";
      case HttpStatus.CONTENT_TOO_LARGE -> "too_large";
      case HttpStatus.UNSUPPORTED_MEDIA_TYPE -> "not_a_disc";
      case HttpStatus.REQUEST_TIMEOUT -> "idle";
      case HttpStatus.UNPROCESSABLE -> "unprocessable";
      case HttpStatus.SERVICE_UNAVAILABLE -> "stopping";
      case HttpStatus.INSUFFICIENT_STORAGE -> "disk_full";
      case HttpStatus.INTERNAL_ERROR -> "internal";
      default -> "other";
    };
  }

  static void checkName(String name) {
    if (name == null || name.isBlank()) {
      throw DomainErrors.badRequest(
          "the image needs a name ('name' in the query, or in tus's Upload-Metadata)");
    }
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES
        || !UnsafeCharacters.noneIn(name)) {
      throw DomainErrors.badRequest(
          "'name' must be at most "
              + MAX_NAME_BYTES
              + " bytes of UTF-8 without control or format characters");
    }
  }
}
