package io.discs.platform.targets;

import io.discs.platform.JsonDataObject;
import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/** What a caller asks target-service to make: {imageId, initiatorIqn, deviceType?, mutualChap?}. */
@DataObject
public final class TargetRequest extends JsonDataObject {

  public TargetRequest(JsonObject json) {
    super(json);
  }

  public static TargetRequest of(
      String imageId, String initiatorIqn, String deviceType, boolean mutualChap) {
    return new TargetRequest(
        new JsonObject()
            .put("imageId", imageId)
            .put("initiatorIqn", initiatorIqn)
            .put("deviceType", deviceType)
            .put("mutualChap", mutualChap));
  }

  public String imageId() {
    return json.getString("imageId");
  }

  public String initiatorIqn() {
    return json.getString("initiatorIqn");
  }

  /** As sent: null means disk; {@link DeviceType#fromWire} checks it. */
  public String deviceType() {
    return json.getString("deviceType");
  }

  public boolean mutualChap() {
    return json.getBoolean("mutualChap", false);
  }
}
