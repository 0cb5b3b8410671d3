package io.discs.image.impl;

import io.discs.platform.Caller;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.events.DomainEvent;
import io.discs.platform.events.DomainEvent.Outcome;
import io.discs.platform.events.EventPublisher;
import io.discs.platform.image.Image;
import io.discs.platform.image.ImageService;
import io.discs.platform.ids.Ids;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Image metadata operations; uploads arrive in the Image management issue. */
final class ImageServiceImpl implements ImageService {
  private final ImageRepository repository;
  private final EventPublisher events;

  ImageServiceImpl(ImageRepository repository, EventPublisher events) {
    this.repository = repository;
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

  @Override
  public Future<Void> delete(String id, Caller caller) {
    return Ids.parse(id, "image").compose(repository::deleteUnlessInUse).compose(outcome -> switch (outcome) {
      case NOT_FOUND -> Future.failedFuture(DomainErrors.notFound("no image " + id));
      case IN_USE -> Future.failedFuture(DomainErrors.conflict("image " + id + " is used by a target or session"));
      case DELETED -> {
        events.publish(DomainEvent.of("image.deleted", caller.username(), "image/" + id, Outcome.SUCCESS,
            caller.sourceIp(), new JsonObject()));
        yield Future.<Void>succeededFuture();
      }
    });
  }
}
