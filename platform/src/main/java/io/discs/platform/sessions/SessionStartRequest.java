package io.discs.platform.sessions;

import io.discs.platform.JsonDataObject;
import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;

/** What a caller asks session-service to start: {@code {imageId, initiatorIqn, deviceType?}}. */
@DataObject
public final class SessionStartRequest extends JsonDataObject {

  public SessionStartRequest(JsonObject json) {
    super(json);
  }

  public static SessionStartRequest of(String imageId, String initiatorIqn, String deviceType) {
    return new SessionStartRequest(
        new JsonObject()
            .put("imageId", imageId)
            .put("initiatorIqn", initiatorIqn)
            .put("deviceType", deviceType));
  }

  public String imageId() {
    return json.getString("imageId");
  }

  public String initiatorIqn() {
    return json.getString("initiatorIqn");
  }

  /** As sent: null means disk; {@link io.discs.platform.targets.DeviceType#fromWire} checks it. */
  public String deviceType() {
    return json.getString("deviceType");
  }
}
