package io.discs.gateway.api;

import io.discs.gateway.Operation;
import io.discs.platform.error.HttpStatus;
import io.discs.platform.targets.TargetNodes;
import io.discs.transfer.remote.ListenerDirectory;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Map;

/**
 * The nodes as this gateway hears of them: target nodes from their presence on the bus (serving,
 * gone, when one last restarted), image nodes from the listeners they announce. Read-only; what a
 * node's readiness says is {@code /ready}'s.
 */
public final class NodesRoutes implements ResourceRoutes {
  private final TargetNodes targetNodes;
  private final ListenerDirectory imageNodes;

  public NodesRoutes(TargetNodes targetNodes, ListenerDirectory imageNodes) {
    this.targetNodes = targetNodes;
    this.imageNodes = imageNodes;
  }

  @Override
  public void addTo(Map<Operation, Handler<RoutingContext>> handlers) {
    handlers.put(Operation.LIST_NODES, this::list);
  }

  private void list(RoutingContext ctx) {
    JsonArray targets = new JsonArray();
    for (TargetNodes.NodeView view : targetNodes.known()) {
      targets.add(
          new JsonObject()
              .put("node", view.presence().node())
              .put("portal", view.presence().portal())
              .put("incarnation", view.presence().incarnation())
              .put("targets", view.presence().targets())
              .put("state", view.standing().name().toLowerCase(Locale.ROOT))
              .put("lastHeardAt", view.lastHeardAt())
              .put("restartedAt", view.restartedAt()));
    }
    Responses.json(
        ctx,
        HttpStatus.OK,
        imageNodes
            .live()
            .map(
                listeners ->
                    new JsonObject()
                        .put("targetNodes", targets)
                        .put(
                            "imageNodes",
                            new JsonArray(
                                listeners.stream()
                                    .map(Object::toString)
                                    .sorted()
                                    .map(l -> new JsonObject().put("listener", l))
                                    .toList()))));
  }
}
