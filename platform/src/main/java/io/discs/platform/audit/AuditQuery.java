package io.discs.platform.audit;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Filters for the audit log; an absent field means "any". Newest first, at most {@link #rowLimit()}
 * rows.
 */
@DataObject
@JsonGen(publicConverter = false)
public final class AuditQuery {
  private String actor;
  private String type;
  private Instant since;
  private Long beforeId;
  private Integer limit;

  public AuditQuery() {}

  public AuditQuery(JsonObject json) {
    AuditQueryConverter.fromJson(json, this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    AuditQueryConverter.toJson(this, json);
    return json;
  }

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  public static AuditQuery of(String actor, String type, Instant since, Long beforeId, int limit) {
    return new AuditQuery()
        .setActor(actor)
        .setType(type)
        .setSince(since)
        .setBeforeId(beforeId)
        .setLimit(limit);
  }

  /** The limit asked for, within 1 and {@link #MAX_LIMIT}; {@link #DEFAULT_LIMIT} when absent. */
  public int rowLimit() {
    return Math.max(1, Math.min(MAX_LIMIT, limit == null ? DEFAULT_LIMIT : limit));
  }

  public String getActor() {
    return actor;
  }

  public AuditQuery setActor(String actor) {
    this.actor = actor;
    return this;
  }

  public String getType() {
    return type;
  }

  public AuditQuery setType(String type) {
    this.type = type;
    return this;
  }

  public Instant getSince() {
    return since;
  }

  public AuditQuery setSince(Instant since) {
    this.since = since;
    return this;
  }

  public Long getBeforeId() {
    return beforeId;
  }

  public AuditQuery setBeforeId(Long beforeId) {
    this.beforeId = beforeId;
    return this;
  }

  public Integer getLimit() {
    return limit;
  }

  public AuditQuery setLimit(Integer limit) {
    this.limit = limit;
    return this;
  }
}
