package io.discs.platform.audit;

import io.discs.platform.JsonDataObject;
import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * One row of the audit log: {@code {id, at, type, actor, resource, outcome, sourceIp, details}}.
 */
@DataObject
public final class AuditEntry extends JsonDataObject {

  public AuditEntry(JsonObject json) {
    super(json);
  }

  public long id() {
    return json.getLong("id", 0L);
  }

  public String type() {
    return json.getString("type");
  }

  public String actor() {
    return json.getString("actor");
  }
}
