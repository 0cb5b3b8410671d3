package io.discs.platform.targets;

import io.discs.platform.JsonDataObject;
import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A read-only iSCSI target for one initiator. {@code chap} is present only in the answer to create:
 * secrets are shown once.
 */
@DataObject
public final class Target extends JsonDataObject {

  public Target(JsonObject json) {
    super(json);
  }

  public static Target of(
      String id,
      String iqn,
      String portal,
      int lun,
      String imageId,
      String initiatorIqn,
      String deviceType,
      JsonObject chap,
      Instant createdAt) {
    JsonObject json =
        new JsonObject()
            .put("id", id)
            .put("iqn", iqn)
            .put("portal", portal)
            .put("lun", lun)
            .put("imageId", imageId)
            .put("initiatorIqn", initiatorIqn)
            .put("deviceType", deviceType)
            .put("readOnly", true)
            .put("createdAt", createdAt);
    if (chap != null) {
      json.put("chap", chap);
    }
    return new Target(json);
  }

  public String id() {
    return json.getString("id");
  }

  public String iqn() {
    return json.getString("iqn");
  }

  public String portal() {
    return json.getString("portal");
  }

  public int lun() {
    return json.getInteger("lun", 1);
  }

  public String imageId() {
    return json.getString("imageId");
  }

  public String initiatorIqn() {
    return json.getString("initiatorIqn");
  }

  public JsonObject chap() {
    JsonObject chap = json.getJsonObject("chap");
    return chap == null ? null : chap.copy();
  }
}
