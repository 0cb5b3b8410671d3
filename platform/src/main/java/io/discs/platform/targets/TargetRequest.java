package io.discs.platform.targets;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;

/**
 * What a caller asks target-service to make. {@code deviceType} as sent: null means disk; {@link
 * DeviceType#fromWire} checks it.
 */
@DataObject
@JsonGen(publicConverter = false)
public final class TargetRequest {
  private String imageId;
  private String initiatorIqn;
  private String deviceType;
  private boolean mutualChap;
  private boolean drive;

  public TargetRequest() {}

  public TargetRequest(JsonObject json) {
    TargetRequestConverter.fromJson(json, this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    TargetRequestConverter.toJson(this, json);
    return json;
  }

  public static TargetRequest of(
      String imageId, String initiatorIqn, String deviceType, boolean mutualChap) {
    return new TargetRequest()
        .setImageId(imageId)
        .setInitiatorIqn(initiatorIqn)
        .setDeviceType(deviceType)
        .setMutualChap(mutualChap);
  }

  public String getImageId() {
    return imageId;
  }

  public TargetRequest setImageId(String imageId) {
    this.imageId = imageId;
    return this;
  }

  public String getInitiatorIqn() {
    return initiatorIqn;
  }

  public TargetRequest setInitiatorIqn(String initiatorIqn) {
    this.initiatorIqn = initiatorIqn;
    return this;
  }

  /** A drive: its disc changes while it lives; {@code imageId} may be null (empty). */
  public boolean isDrive() {
    return drive;
  }

  public TargetRequest setDrive(boolean drive) {
    this.drive = drive;
    return this;
  }

  public String getDeviceType() {
    return deviceType;
  }

  public TargetRequest setDeviceType(String deviceType) {
    this.deviceType = deviceType;
    return this;
  }

  public boolean isMutualChap() {
    return mutualChap;
  }

  public TargetRequest setMutualChap(boolean mutualChap) {
    this.mutualChap = mutualChap;
    return this;
  }
}
