package io.discs.gateway.api;

import io.discs.gateway.Operation;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** The handlers of one resource's operations, put into the route table's map. */
public interface ResourceRoutes {
  void addTo(Map<Operation, Handler<RoutingContext>> handlers);
}
