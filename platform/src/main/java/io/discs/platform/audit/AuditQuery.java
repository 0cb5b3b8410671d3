package io.discs.platform.audit;

import io.discs.platform.JsonDataObject;
import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Filters for the audit log; an absent field means "any". Newest first, at most {@code limit} rows.
 */
@DataObject
public final class AuditQuery extends JsonDataObject {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public AuditQuery(JsonObject json) {
    super(json);
  }

  public static AuditQuery of(String actor, String type, Instant since, Long beforeId, int limit) {
    return new AuditQuery(
        new JsonObject()
            .put("actor", actor)
            .put("type", type)
            .put("since", since)
            .put("beforeId", beforeId)
            .put("limit", limit));
  }

  public String actor() {
    return json.getString("actor");
  }

  public String type() {
    return json.getString("type");
  }

  public Instant since() {
    return json.getInstant("since");
  }

  public Long beforeId() {
    return json.getLong("beforeId");
  }

  public int limit() {
    return Math.max(1, Math.min(MAX_LIMIT, json.getInteger("limit", DEFAULT_LIMIT)));
  }
}
