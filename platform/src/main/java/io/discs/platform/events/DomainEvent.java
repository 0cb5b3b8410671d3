package io.discs.platform.events;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A fact that happened, published on {@link io.discs.platform.Addresses#EVENTS} as {@code {type,
 * at, actor, resource, outcome, sourceIp, details}}.
 */
public record DomainEvent(
    String type,
    Instant at,
    String actor,
    String resource,
    Outcome outcome,
    String sourceIp,
    JsonObject details) {

  public enum Outcome {
    SUCCESS,
    FAILURE,
    DENIED
  }

  public DomainEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(outcome, "outcome");
    details = details == null ? new JsonObject() : details.copy();
  }

  public static DomainEvent of(
      String type,
      String actor,
      String resource,
      Outcome outcome,
      String sourceIp,
      JsonObject details) {
    return new DomainEvent(type, Instant.now(), actor, resource, outcome, sourceIp, details);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("type", type)
        .put("at", at.toString())
        .put("actor", actor)
        .put("resource", resource)
        .put("outcome", outcome.name().toLowerCase(Locale.ROOT))
        .put("sourceIp", sourceIp)
        .put("details", details.copy());
  }

  public static DomainEvent fromJson(JsonObject json) {
    return new DomainEvent(
        json.getString("type"),
        Instant.parse(json.getString("at")),
        json.getString("actor"),
        json.getString("resource"),
        Outcome.valueOf(json.getString("outcome", "success").toUpperCase(Locale.ROOT)),
        json.getString("sourceIp"),
        json.getJsonObject("details"));
  }
}
