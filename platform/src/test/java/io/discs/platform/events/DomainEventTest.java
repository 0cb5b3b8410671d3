package io.discs.platform.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.platform.events.DomainEvent.Outcome;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class DomainEventTest {

  @Test
  void survivesTheTripThroughJsonUnchanged() {
    DomainEvent event =
        DomainEvent.of(
            "image.rejected",
            "alice",
            "image/upload",
            Outcome.FAILURE,
            "192.0.2.7",
            new JsonObject().put("reason", "not a disc"));

    JsonObject json = event.toJson();

    assertThat(json.fieldNames())
        .containsExactlyInAnyOrder(
            "type", "at", "actor", "resource", "outcome", "sourceIp", "details");
    assertThat(json.getString("outcome")).isEqualTo("failure");
    assertThat(DomainEvent.fromJson(json)).isEqualTo(event);
  }

  @Test
  void copiesItsDetailsSoLaterChangesDoNotLeakIn() {
    JsonObject details = new JsonObject().put("k", "v");
    DomainEvent event = DomainEvent.of("t", "a", null, Outcome.SUCCESS, null, details);
    details.put("k", "changed");

    assertThat(event.details().getString("k")).isEqualTo("v");
  }
}
