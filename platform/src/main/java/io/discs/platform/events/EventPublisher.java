package io.discs.platform.events;

import io.discs.platform.Addresses;
import io.vertx.core.eventbus.EventBus;

/** Publishes domain events; publishing never fails the operation that caused the event. */
public final class EventPublisher {
  private final EventBus eventBus;

  public EventPublisher(EventBus eventBus) {
    this.eventBus = eventBus;
  }

  public void publish(DomainEvent event) {
    eventBus.publish(Addresses.EVENTS, event.toJson());
  }
}
