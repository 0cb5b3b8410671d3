package io.discs.platform.targets;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** An initiator the backend reports as logged in to a target, and since when discs has seen it. */
@DataObject
@JsonGen(publicConverter = false)
public final class Connection {
  private String targetId;
  private String initiatorIqn;
  private String address;
  private Instant connectedSince;

  public Connection() {}

  public Connection(JsonObject json) {
    ConnectionConverter.fromJson(json, this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    ConnectionConverter.toJson(this, json);
    return json;
  }

  public String getTargetId() {
    return targetId;
  }

  public Connection setTargetId(String targetId) {
    this.targetId = targetId;
    return this;
  }

  public String getInitiatorIqn() {
    return initiatorIqn;
  }

  public Connection setInitiatorIqn(String initiatorIqn) {
    this.initiatorIqn = initiatorIqn;
    return this;
  }

  public String getAddress() {
    return address;
  }

  public Connection setAddress(String address) {
    this.address = address;
    return this;
  }

  public Instant getConnectedSince() {
    return connectedSince;
  }

  public Connection setConnectedSince(Instant connectedSince) {
    this.connectedSince = connectedSince;
    return this;
  }
}
