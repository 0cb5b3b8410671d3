package io.discs.images;

import io.discs.images.store.StoredBlobs;
import io.discs.platform.Caller;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.events.DomainEvent;
import io.discs.platform.events.DomainEvent.Outcome;
import io.discs.platform.events.EventPublisher;
import io.discs.platform.ids.Ids;
import io.discs.platform.images.Image;
import io.discs.platform.images.ImageDeletions;
import io.discs.platform.images.ImageService;
import io.discs.platform.sessions.SessionService;
import io.discs.platform.targets.TargetService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/** Image metadata operations; the bytes go through {@link LocalImageBlobs}. */
final class ImageServiceImpl implements ImageService {
  private static final long LOCK_TIMEOUT_MS = 10_000;
  private final Vertx vertx;
  private final ImageRepository repository;
  private final StoredBlobs blobs;
  private final EventPublisher events;
  private final TargetService targets;
  private final SessionService sessions;

  ImageServiceImpl(
      Vertx vertx,
      ImageRepository repository,
      StoredBlobs blobs,
      EventPublisher events,
      TargetService targets,
      SessionService sessions) {
    this.vertx = vertx;
    this.repository = repository;
    this.blobs = blobs;
    this.events = events;
    this.targets = targets;
    this.sessions = sessions;
  }

  @Override
  public Future<List<Image>> list(String nameContains, int offset, int limit) {
    if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
      return Future.failedFuture(
          DomainErrors.badRequest("offset must be 0 or more and limit from 1 to " + MAX_PAGE));
    }
    return repository.list(nameContains, offset, limit);
  }

  @Override
  public Future<Image> get(String id) {
    return Ids.parse(id, "image")
        .compose(repository::get)
        .compose(
            found ->
                found
                    .map(Future::succeededFuture)
                    .orElseGet(() -> Future.failedFuture(DomainErrors.notFound("no image " + id))));
  }

  /**
   * Deletes an image nothing uses, following {@link ImageDeletions}: a target made meanwhile either
   * is seen here (409) or sees the deletion and takes itself back.
   */
  @Override
  public Future<Void> delete(String id, Caller caller) {
    return get(id)
        .compose(
            image ->
                vertx
                    .sharedData()
                    .withLock(
                        ImageDeletions.lockName(image.getId()),
                        LOCK_TIMEOUT_MS,
                        () ->
                            ImageDeletions.mark(vertx, image.getId())
                                .compose(marked -> deleteUnused(image))
                                .eventually(() -> ImageDeletions.unmark(vertx, image.getId())))
                    .onSuccess(
                        v ->
                            events.publish(
                                DomainEvent.of(
                                    "image.deleted",
                                    caller.getUsername(),
                                    "image/" + id,
                                    Outcome.SUCCESS,
                                    caller.getSourceIp(),
                                    new JsonObject().put("sha256", image.getSha256())))));
  }

  /**
   * With the image marked for deletion (so that no target made from now on keeps it), asks
   * target-service and session-service whether anything uses it, then deletes the row and the blob.
   * The blob follows the row, since no other image can share its digest.
   */
  private Future<Void> deleteUnused(Image image) {
    String id = image.getId();
    return Future.all(targets.servesImage(id), sessions.hasActiveForImage(id))
        .compose(
            use ->
                Boolean.TRUE.equals(use.resultAt(0)) || Boolean.TRUE.equals(use.resultAt(1))
                    ? Future.failedFuture(
                        DomainErrors.conflict("image " + id + " is used by a target or session"))
                    : repository.delete(UUID.fromString(id)))
        .compose(
            deleted ->
                deleted.isEmpty()
                    ? Future.<Void>failedFuture(DomainErrors.notFound("no image " + id))
                    : blobs.delete(image.getSha256()));
  }
}
