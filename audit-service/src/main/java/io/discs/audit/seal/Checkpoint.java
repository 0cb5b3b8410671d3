package io.discs.audit.seal;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The head of the audit log at a moment: how many sealed rows, the last one's id and seal. Kept
 * outside the database, so that cutting rows off the end (which leaves the rest consistent) shows.
 */
public record Checkpoint(Instant at, long rows, long headId, String headSeal) {

  String payload() {
    return "checkpoint\n" + at + "\n" + rows + "\n" + headId + "\n" + headSeal;
  }

  JsonObject toJson(String signature) {
    return new JsonObject()
        .put("at", at.toString())
        .put("rows", rows)
        .put("headId", headId)
        .put("headSeal", headSeal)
        .put("signature", signature);
  }

  static Checkpoint fromJson(JsonObject json) {
    return new Checkpoint(
        Instant.parse(json.getString("at")),
        json.getLong("rows"),
        json.getLong("headId"),
        json.getString("headSeal"));
  }
}
