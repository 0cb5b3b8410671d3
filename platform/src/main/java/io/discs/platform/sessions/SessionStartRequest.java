package io.discs.platform.sessions;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;

/**
 * What a caller asks session-service to start. {@code deviceType} as sent: null means disk; {@link
 * io.discs.platform.targets.DeviceType#fromWire} checks it.
 */
@DataObject
@JsonGen(publicConverter = false)
public final class SessionStartRequest {
  private String imageId;
  private String initiatorIqn;
  private String deviceType;
  private String node;
  private boolean respondAsync;
  private boolean drive;

  public SessionStartRequest() {}

  public SessionStartRequest(JsonObject json) {
    SessionStartRequestConverter.fromJson(json, this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    SessionStartRequestConverter.toJson(this, json);
    return json;
  }

  public static SessionStartRequest of(String imageId, String initiatorIqn, String deviceType) {
    return new SessionStartRequest()
        .setImageId(imageId)
        .setInitiatorIqn(initiatorIqn)
        .setDeviceType(deviceType);
  }

  public String getImageId() {
    return imageId;
  }

  public SessionStartRequest setImageId(String imageId) {
    this.imageId = imageId;
    return this;
  }

  public String getInitiatorIqn() {
    return initiatorIqn;
  }

  public SessionStartRequest setInitiatorIqn(String initiatorIqn) {
    this.initiatorIqn = initiatorIqn;
    return this;
  }

  public String getDeviceType() {
    return deviceType;
  }

  public SessionStartRequest setDeviceType(String deviceType) {
    this.deviceType = deviceType;
    return this;
  }

  /** The target node to place the session on (operators and admins only); null: discs picks. */
  public String getNode() {
    return node;
  }

  public SessionStartRequest setNode(String node) {
    this.node = node;
    return this;
  }

  /**
   * Whether the caller takes an answer at once (the session {@code PREPARING} while its node
   * fetches the image and makes the target) rather than waiting for the target: HTTP's {@code
   * Prefer: respond-async}.
   */
  public boolean isRespondAsync() {
    return respondAsync;
  }

  public SessionStartRequest setRespondAsync(boolean respondAsync) {
    this.respondAsync = respondAsync;
    return this;
  }

  /** A drive: a target whose disc changes while it lives; {@code imageId} may be null (empty). */
  public boolean isDrive() {
    return drive;
  }

  public SessionStartRequest setDrive(boolean drive) {
    this.drive = drive;
    return this;
  }
}
