package io.discs.platform.sessions;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;

/** Where a session's disc is served; the LUN is the one the backend serves (0 embedded, 1 tgt). */
@DataObject
@JsonGen(publicConverter = false)
public final class SessionTarget {
  private String iqn;
  private String portal;
  private Integer lun;

  public SessionTarget() {}

  public SessionTarget(JsonObject json) {
    SessionTargetConverter.fromJson(json, this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    SessionTargetConverter.toJson(this, json);
    return json;
  }

  public String getIqn() {
    return iqn;
  }

  public SessionTarget setIqn(String iqn) {
    this.iqn = iqn;
    return this;
  }

  public String getPortal() {
    return portal;
  }

  public SessionTarget setPortal(String portal) {
    this.portal = portal;
    return this;
  }

  public Integer getLun() {
    return lun;
  }

  public SessionTarget setLun(Integer lun) {
    this.lun = lun;
    return this;
  }
}
