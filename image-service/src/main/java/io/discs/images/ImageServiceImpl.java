package io.discs.images;

import io.discs.platform.Caller;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.events.DomainEvent;
import io.discs.platform.events.DomainEvent.Outcome;
import io.discs.platform.events.EventPublisher;
import io.discs.platform.images.Image;
import io.discs.platform.images.ImageService;
import io.discs.platform.ids.Ids;
import io.discs.images.store.ImageStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/** Image metadata operations; the bytes go through {@link LocalImageBlobs}. */
final class ImageServiceImpl implements ImageService {
  private final Vertx vertx;
  private final ImageRepository repository;
  private final ImageStore store;
  private final EventPublisher events;

  ImageServiceImpl(Vertx vertx, ImageRepository repository, ImageStore store, EventPublisher events) {
    this.vertx = vertx;
    this.repository = repository;
    this.store = store;
    this.events = events;
  }

  @Override
  public Future<List<Image>> list(String nameContains, int offset, int limit) {
    if (offset < 0 || limit < 1 || limit > MAX_PAGE) {
      return Future.failedFuture(DomainErrors.badRequest("offset must be 0 or more and limit from 1 to " + MAX_PAGE));
    }
    return repository.list(nameContains, offset, limit);
  }

  @Override
  public Future<Image> get(String id) {
    return Ids.parse(id, "image")
        .compose(repository::get)
        .compose(found -> found.map(Future::succeededFuture)
            .orElseGet(() -> Future.failedFuture(DomainErrors.notFound("no image " + id))));
  }

  /** The row goes first; the blob follows, since no other image can share its digest. */
  @Override
  public Future<Void> delete(String id, Caller caller) {
    return get(id).compose(image -> repository.deleteUnlessInUse(UUID.fromString(image.id()))
        .compose(outcome -> switch (outcome) {
          case NOT_FOUND -> Future.<Void>failedFuture(DomainErrors.notFound("no image " + id));
          case IN_USE -> Future.<Void>failedFuture(
              DomainErrors.conflict("image " + id + " is used by a target or session"));
          case DELETED -> vertx.<Void>executeBlocking(() -> {
            store.delete(image.sha256());
            return null;
          }, false).onSuccess(v -> events.publish(DomainEvent.of("image.deleted", caller.username(), "image/" + id,
              Outcome.SUCCESS, caller.sourceIp(), new JsonObject().put("sha256", image.sha256()))));
        }));
  }
}
