package io.discs.testing;

import static org.awaitility.Awaitility.await;

import io.discs.platform.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The domain events published on one Vert.x's bus while a test runs, as audit-service gets them.
 */
public final class DomainEventLog {
  private final List<JsonObject> events = new CopyOnWriteArrayList<>();

  private DomainEventLog() {}

  public static DomainEventLog listen(Vertx vertx) {
    DomainEventLog log = new DomainEventLog();
    vertx
        .eventBus()
        .<JsonObject>consumer(Addresses.EVENTS, message -> log.events.add(message.body()));
    return log;
  }

  /** The first event of {@code type}, waited for (events are published after the answers). */
  public JsonObject first(String type) {
    return await("a " + type + " event")
        .atMost(Duration.ofSeconds(5))
        .until(() -> find(type), Optional::isPresent)
        .orElseThrow();
  }

  /** The types of the events so far, in the order they came. */
  public List<String> types() {
    return events.stream().map(e -> e.getString("type")).toList();
  }

  /** The latest event of {@code type} so far. */
  public JsonObject last(String type) {
    return events.stream()
        .filter(e -> type.equals(e.getString("type")))
        .reduce((first, second) -> second)
        .orElseThrow(() -> new AssertionError("no " + type + " event"));
  }

  public boolean any(String type) {
    return find(type).isPresent();
  }

  private Optional<JsonObject> find(String type) {
    return events.stream().filter(e -> type.equals(e.getString("type"))).findFirst();
  }
}
