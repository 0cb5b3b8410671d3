package io.discs.platform;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.Optional;

/**
 * Services that only work inside one process, because they hand over streams or files rather than
 * messages (image bytes never cross the event bus). A service registers its implementation with the
 * Vert.x it runs on; a caller in the same process finds it, and a caller elsewhere finds nothing
 * and says so. The entries live in that Vert.x's local shared data, not in a static field, so two
 * Vert.x instances in one JVM (the cluster tests' nodes) never see each other's.
 */
public final class LocalServices {
  private static final String MAP_NAME = "discs.local-services";

  private final LocalMap<String, Entry> entries;

  private LocalServices(LocalMap<String, Entry> entries) {
    this.entries = entries;
  }

  public static LocalServices of(Vertx vertx) {
    return new LocalServices(vertx.sharedData().getLocalMap(MAP_NAME));
  }

  public <T> void register(Class<T> type, T service) {
    entries.put(type.getName(), new Entry(service));
  }

  public void unregister(Class<?> type) {
    entries.remove(type.getName());
  }

  public <T> Optional<T> find(Class<T> type) {
    return Optional.ofNullable(entries.get(type.getName()))
        .map(entry -> type.cast(entry.service()));
  }

  /** Shared as it is: the service is one object for the whole process, never a copy. */
  private record Entry(Object service) implements Shareable {}
}
