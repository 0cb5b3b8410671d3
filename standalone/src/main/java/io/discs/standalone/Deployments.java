package io.discs.standalone;

import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/** The verticles one process deployed, undeployed in the reverse order: the last one up first. */
final class Deployments {
  private final Vertx vertx;
  private final List<String> ids = new ArrayList<>();

  Deployments(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<String> deploy(Deployable verticle) {
    return vertx.deployVerticle(verticle).onSuccess(this::deployed);
  }

  private synchronized void deployed(String id) {
    ids.add(id);
  }

  /** One at a time; a verticle that fails to stop does not keep the others running. */
  Future<Void> undeployAll() {
    List<String> order;
    synchronized (this) {
      order = new ArrayList<>(ids);
      ids.clear();
    }
    Future<Void> done = Future.succeededFuture();
    for (int i = order.size() - 1; i >= 0; i--) {
      String id = order.get(i);
      done = done.eventually(() -> vertx.undeploy(id));
    }
    return done;
  }
}
