package io.discs.gateway.api;

import io.discs.gateway.Operation;
import io.discs.gateway.Requests;
import io.discs.gateway.auth.AccessControl;
import io.discs.platform.error.HttpStatus;
import io.discs.platform.images.ImageService;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** Image records: list, one, delete (their bytes are {@code ImageRoutes}'). */
public final class ImagesRoutes implements ResourceRoutes {
  private final ImageService images;

  public ImagesRoutes(ImageService images) {
    this.images = images;
  }

  @Override
  public void addTo(Map<Operation, Handler<RoutingContext>> handlers) {
    handlers.put(Operation.LIST_IMAGES, this::list);
    handlers.put(Operation.GET_IMAGE, this::get);
    handlers.put(Operation.DELETE_IMAGE, this::delete);
  }

  private void list(RoutingContext ctx) {
    Responses.json(
        ctx,
        HttpStatus.OK,
        images
            .list(
                ctx.request().getParam("name"),
                Requests.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE),
                Requests.intParam(ctx, "limit", 100, 1, ImageService.MAX_PAGE))
            .map(Responses.items(i -> i.toJson())));
  }

  private void get(RoutingContext ctx) {
    Responses.json(ctx, HttpStatus.OK, images.get(ctx.pathParam("id")).map(i -> i.toJson()));
  }

  private void delete(RoutingContext ctx) {
    Responses.noContent(ctx, images.delete(ctx.pathParam("id"), AccessControl.caller(ctx)));
  }
}
