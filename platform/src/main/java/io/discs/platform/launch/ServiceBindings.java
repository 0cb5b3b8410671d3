package io.discs.platform.launch;

import io.discs.platform.cluster.CallerProofs;
import io.discs.platform.health.HealthResponder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.serviceproxy.ServiceBinder;
import io.vertx.sqlclient.Pool;

/**
 * Puts a service on the event bus together with its readiness answer, which checks its database.
 * Every call is checked first: one that names a caller is refused unless a member sealed it.
 */
public final class ServiceBindings {
  private ServiceBindings() {}

  public static <T> Future<Void> bind(
      Vertx vertx,
      String name,
      String address,
      Class<T> type,
      T service,
      Pool pool,
      CallerProofs callers) {
    var binding = binder(vertx, callers).setAddress(address).register(type, service);
    var health = HealthResponder.register(vertx, name, () -> pool.query("SELECT 1").execute());
    return Future.all(binding.completion(), health).mapEmpty();
  }

  /** A binder whose services act only for callers sealed by a member of this cluster. */
  public static ServiceBinder binder(Vertx vertx, CallerProofs callers) {
    return new ServiceBinder(vertx).addInterceptor(callers.interceptor());
  }
}
