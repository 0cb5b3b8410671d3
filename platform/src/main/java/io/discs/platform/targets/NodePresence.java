package io.discs.platform.targets;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * What a target node says of itself every few seconds: its name (the portal clients are told), the
 * incarnation (a fresh id each time its process starts), and how many targets it serves.
 */
public record NodePresence(String node, String incarnation, String portal, long targets) {
  public NodePresence {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(incarnation, "incarnation");
    Objects.requireNonNull(portal, "portal");
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("node", node)
        .put("incarnation", incarnation)
        .put("portal", portal)
        .put("targets", targets);
  }

  /** Null for a message that is not a presence (an older node, a stray publisher). */
  public static NodePresence fromJson(JsonObject json) {
    if (json == null
        || !(json.getValue("node") instanceof String node)
        || !(json.getValue("incarnation") instanceof String incarnation)
        || !(json.getValue("portal") instanceof String portal)
        || !(json.getValue("targets") instanceof Number targets)) {
      return null;
    }
    return new NodePresence(node, incarnation, portal, targets.longValue());
  }
}
