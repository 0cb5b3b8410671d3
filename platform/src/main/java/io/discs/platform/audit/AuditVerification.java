package io.discs.platform.audit;

import io.discs.platform.JsonDataObject;
import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/**
 * The result of walking the audit chain: {@code {intact, checked, firstBrokenId?, reason?}}; the
 * first broken row is the first whose content or link to its predecessor does not match its hash.
 */
@DataObject
public final class AuditVerification extends JsonDataObject {

  public AuditVerification(JsonObject json) {
    super(json);
  }

  public static AuditVerification intact(long checked) {
    return new AuditVerification(new JsonObject().put("intact", true).put("checked", checked));
  }

  public static AuditVerification broken(long checked, long firstBrokenId, String reason) {
    return new AuditVerification(
        new JsonObject()
            .put("intact", false)
            .put("checked", checked)
            .put("firstBrokenId", firstBrokenId)
            .put("reason", reason));
  }

  public boolean isIntact() {
    return json.getBoolean("intact", false);
  }

  public Long firstBrokenId() {
    return json.getLong("firstBrokenId");
  }
}
