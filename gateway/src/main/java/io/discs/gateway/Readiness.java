package io.discs.gateway;

import io.discs.platform.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ready means: this gateway's database answers and every service answers on the event bus (each
 * service checks its own database before it replies).
 */
final class Readiness {
  static final List<String> SERVICES =
      List.of("image-service", "target-service", "session-service", "audit-service");
  private static final DeliveryOptions PING = new DeliveryOptions().setSendTimeout(2_000);

  private final Vertx vertx;
  private final Pool pool;

  Readiness(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /** Every check by name, each "UP" or "DOWN"; never fails. */
  Future<Map<String, String>> check() {
    Map<String, Future<?>> checks = new LinkedHashMap<>();
    checks.put("database", pool.query("SELECT 1").execute());
    for (String service : SERVICES) {
      checks.put(
          service, vertx.eventBus().request(Addresses.health(service), new JsonObject(), PING));
    }
    return Future.join(List.copyOf(checks.values()))
        .transform(
            ignored -> {
              Map<String, String> result = new LinkedHashMap<>();
              checks.forEach(
                  (name, future) -> result.put(name, future.succeeded() ? "UP" : "DOWN"));
              return Future.succeededFuture(result);
            });
  }
}
