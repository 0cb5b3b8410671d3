package io.discs.platform.audit;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;

/**
 * The result of walking the audit chain; the first broken row is the first whose content or link to
 * its predecessor does not match its hash (or seal).
 */
@DataObject
@JsonGen(publicConverter = false)
public final class AuditVerification {
  private boolean intact;
  private long checked;
  private Long firstBrokenId;
  private String reason;

  public AuditVerification() {}

  public AuditVerification(JsonObject json) {
    AuditVerificationConverter.fromJson(json, this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    AuditVerificationConverter.toJson(this, json);
    return json;
  }

  public static AuditVerification intact(long checked) {
    return new AuditVerification().setIntact(true).setChecked(checked);
  }

  public static AuditVerification broken(long checked, long firstBrokenId, String reason) {
    return new AuditVerification()
        .setIntact(false)
        .setChecked(checked)
        .setFirstBrokenId(firstBrokenId)
        .setReason(reason);
  }

  public boolean isIntact() {
    return intact;
  }

  public AuditVerification setIntact(boolean intact) {
    this.intact = intact;
    return this;
  }

  public long getChecked() {
    return checked;
  }

  public AuditVerification setChecked(long checked) {
    this.checked = checked;
    return this;
  }

  public Long getFirstBrokenId() {
    return firstBrokenId;
  }

  public AuditVerification setFirstBrokenId(Long firstBrokenId) {
    this.firstBrokenId = firstBrokenId;
    return this;
  }

  public String getReason() {
    return reason;
  }

  public AuditVerification setReason(String reason) {
    this.reason = reason;
    return this;
  }
}
