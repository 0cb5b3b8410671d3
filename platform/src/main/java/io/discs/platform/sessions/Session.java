package io.discs.platform.sessions;

import io.discs.platform.targets.Chap;
import io.discs.platform.targets.Connection;
import io.discs.platform.targets.FetchProgress;
import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * A mount: a target made for one person's initiator, alive while heartbeats arrive. {@code chap}
 * only in the answer to start; {@code connections} only in a listing.
 */
@DataObject
@JsonGen(publicConverter = false)
public final class Session {
  private String id;
  private SessionState state;
  private String imageId;
  private String initiatorIqn;
  private String owner;
  private String deviceType;
  private SessionTarget target;
  private Chap chap;
  private List<Connection> connections;
  private Integer heartbeatIntervalSeconds;
  private Instant leaseExpiresAt;
  private Instant lastHeartbeatAt;
  private boolean drive;
  private Instant createdAt;
  private String reason;
  private FetchProgress preparing;

  public Session() {}

  public Session(JsonObject json) {
    SessionConverter.fromJson(json, this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    SessionConverter.toJson(this, json);
    return json;
  }

  public String getId() {
    return id;
  }

  public Session setId(String id) {
    this.id = id;
    return this;
  }

  public SessionState getState() {
    return state;
  }

  public Session setState(SessionState state) {
    this.state = state;
    return this;
  }

  public String getImageId() {
    return imageId;
  }

  public Session setImageId(String imageId) {
    this.imageId = imageId;
    return this;
  }

  public String getInitiatorIqn() {
    return initiatorIqn;
  }

  public Session setInitiatorIqn(String initiatorIqn) {
    this.initiatorIqn = initiatorIqn;
    return this;
  }

  public String getOwner() {
    return owner;
  }

  public Session setOwner(String owner) {
    this.owner = owner;
    return this;
  }

  public String getDeviceType() {
    return deviceType;
  }

  public Session setDeviceType(String deviceType) {
    this.deviceType = deviceType;
    return this;
  }

  public SessionTarget getTarget() {
    return target;
  }

  public Session setTarget(SessionTarget target) {
    this.target = target;
    return this;
  }

  public Chap getChap() {
    return chap;
  }

  public Session setChap(Chap chap) {
    this.chap = chap;
    return this;
  }

  public List<Connection> getConnections() {
    return connections;
  }

  public Session setConnections(List<Connection> connections) {
    this.connections = connections;
    return this;
  }

  public Integer getHeartbeatIntervalSeconds() {
    return heartbeatIntervalSeconds;
  }

  public Session setHeartbeatIntervalSeconds(Integer heartbeatIntervalSeconds) {
    this.heartbeatIntervalSeconds = heartbeatIntervalSeconds;
    return this;
  }

  public Instant getLeaseExpiresAt() {
    return leaseExpiresAt;
  }

  public Session setLeaseExpiresAt(Instant leaseExpiresAt) {
    this.leaseExpiresAt = leaseExpiresAt;
    return this;
  }

  /** A drive: {@code imageId} is the disc in it now, null while it is empty. */
  public boolean isDrive() {
    return drive;
  }

  public Session setDrive(boolean drive) {
    this.drive = drive;
    return this;
  }

  /** When the lease was last renewed, while the session is active and its lease is known. */
  public Instant getLastHeartbeatAt() {
    return lastHeartbeatAt;
  }

  public Session setLastHeartbeatAt(Instant lastHeartbeatAt) {
    this.lastHeartbeatAt = lastHeartbeatAt;
    return this;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public Session setCreatedAt(Instant createdAt) {
    this.createdAt = createdAt;
    return this;
  }

  /** Why a session that did not end by its owner's hand ended (FAILED, EXPIRED); else absent. */
  public String getReason() {
    return reason;
  }

  public Session setReason(String reason) {
    this.reason = reason;
    return this;
  }

  /** While PREPARING: how far the target node's fetch of the image got (null when not known). */
  public FetchProgress getPreparing() {
    return preparing;
  }

  public Session setPreparing(FetchProgress preparing) {
    this.preparing = preparing;
    return this;
  }
}
