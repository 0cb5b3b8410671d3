package io.discs.platform;

import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * Services that only work inside one process, because they hand over streams or files rather than
 * messages (image bytes never cross the event bus). A service registers its implementation with the
 * Vert.x it runs on; a caller in the same process finds it, and a caller elsewhere finds nothing
 * and says so.
 */
public final class LocalServices {
  private static final Map<Vertx, Map<Class<?>, Object>> REGISTRY = new WeakHashMap<>();

  private LocalServices() {}

  public static synchronized <T> void register(Vertx vertx, Class<T> type, T service) {
    REGISTRY.computeIfAbsent(vertx, v -> new java.util.HashMap<>()).put(type, service);
  }

  public static synchronized <T> void unregister(Vertx vertx, Class<T> type) {
    Map<Class<?>, Object> services = REGISTRY.get(vertx);
    if (services != null) {
      services.remove(type);
    }
  }

  public static synchronized <T> Optional<T> find(Vertx vertx, Class<T> type) {
    Map<Class<?>, Object> services = REGISTRY.get(vertx);
    return services == null ? Optional.empty() : Optional.ofNullable(type.cast(services.get(type)));
  }
}
