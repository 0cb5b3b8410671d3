package io.discs.gateway.api;

import io.discs.gateway.Operation;
import io.discs.gateway.Requests;
import io.discs.gateway.auth.AccessControl;
import io.discs.platform.error.HttpStatus;
import io.discs.platform.images.Image;
import io.discs.platform.images.ImageService;
import io.discs.platform.sessions.SessionService;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;

/** Image records: list, one, delete (their bytes are {@code ImageRoutes}'). */
public final class ImagesRoutes implements ResourceRoutes {
  private final ImageService images;
  private final SessionService sessions;

  public ImagesRoutes(ImageService images, SessionService sessions) {
    this.images = images;
    this.sessions = sessions;
  }

  @Override
  public void addTo(Map<Operation, Handler<RoutingContext>> handlers) {
    handlers.put(Operation.LIST_IMAGES, this::list);
    handlers.put(Operation.GET_IMAGE, this::get);
    handlers.put(Operation.DELETE_IMAGE, this::delete);
  }

  /**
   * With {@code include=activeSessions}, each image says how many active sessions use it (one query
   * for the page, only when asked: the plain listing stays one call).
   */
  private void list(RoutingContext ctx) {
    boolean withSessions = "activeSessions".equals(ctx.request().getParam("include"));
    Future<List<Image>> page =
        images.list(
            ctx.request().getParam("name"),
            Requests.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE),
            Requests.intParam(ctx, "limit", 100, 1, ImageService.MAX_PAGE));
    if (!withSessions) {
      Responses.json(ctx, HttpStatus.OK, page.map(Responses.items(i -> i.toJson())));
      return;
    }
    Responses.json(
        ctx,
        HttpStatus.OK,
        page.compose(
            list ->
                sessions
                    .activeCounts(
                        list.stream().map(Image::getId).toList(), AccessControl.caller(ctx))
                    .map(
                        counts ->
                            Responses.<Image>items(
                                    i ->
                                        i.toJson()
                                            .put("activeSessions", counts.getLong(i.getId(), 0L)))
                                .apply(list))));
  }

  private void get(RoutingContext ctx) {
    Responses.json(ctx, HttpStatus.OK, images.get(ctx.pathParam("id")).map(i -> i.toJson()));
  }

  private void delete(RoutingContext ctx) {
    Responses.noContent(ctx, images.delete(ctx.pathParam("id"), AccessControl.caller(ctx)));
  }
}
