package io.discs.platform.audit;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** One row of the audit log. */
@DataObject
@JsonGen(publicConverter = false)
public final class AuditEntry {
  private long id;
  private Instant at;
  private String type;
  private String actor;
  private String resource;
  private String outcome;
  private String sourceIp;
  private JsonObject details;

  public AuditEntry() {}

  public AuditEntry(JsonObject json) {
    AuditEntryConverter.fromJson(json, this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    AuditEntryConverter.toJson(this, json);
    // The API documents these as nullable: present as null, not missing.
    return json.put("resource", resource).put("sourceIp", sourceIp);
  }

  public long getId() {
    return id;
  }

  public AuditEntry setId(long id) {
    this.id = id;
    return this;
  }

  public Instant getAt() {
    return at;
  }

  public AuditEntry setAt(Instant at) {
    this.at = at;
    return this;
  }

  public String getType() {
    return type;
  }

  public AuditEntry setType(String type) {
    this.type = type;
    return this;
  }

  public String getActor() {
    return actor;
  }

  public AuditEntry setActor(String actor) {
    this.actor = actor;
    return this;
  }

  public String getResource() {
    return resource;
  }

  public AuditEntry setResource(String resource) {
    this.resource = resource;
    return this;
  }

  public String getOutcome() {
    return outcome;
  }

  public AuditEntry setOutcome(String outcome) {
    this.outcome = outcome;
    return this;
  }

  public String getSourceIp() {
    return sourceIp;
  }

  public AuditEntry setSourceIp(String sourceIp) {
    this.sourceIp = sourceIp;
    return this;
  }

  public JsonObject getDetails() {
    return details;
  }

  public AuditEntry setDetails(JsonObject details) {
    this.details = details;
    return this;
  }
}
