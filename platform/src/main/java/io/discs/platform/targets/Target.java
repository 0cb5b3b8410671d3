package io.discs.platform.targets;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A read-only iSCSI target for one initiator. {@code chap} is present only in the answer to create:
 * secrets are shown once. {@code readOnly} is always true: no backend serves a writable LUN.
 */
@DataObject
@JsonGen(publicConverter = false)
public final class Target {
  private String id;
  private String iqn;
  private String portal;
  private int lun;
  private String imageId;
  private String initiatorIqn;
  private String deviceType;
  private boolean readOnly = true;
  private Chap chap;
  private Instant createdAt;
  private String node;
  private String incarnation;
  private boolean drive;

  public Target() {}

  public Target(JsonObject json) {
    TargetConverter.fromJson(json, this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    TargetConverter.toJson(this, json);
    return json;
  }

  public String getId() {
    return id;
  }

  public Target setId(String id) {
    this.id = id;
    return this;
  }

  public String getIqn() {
    return iqn;
  }

  public Target setIqn(String iqn) {
    this.iqn = iqn;
    return this;
  }

  public String getPortal() {
    return portal;
  }

  public Target setPortal(String portal) {
    this.portal = portal;
    return this;
  }

  public int getLun() {
    return lun;
  }

  public Target setLun(int lun) {
    this.lun = lun;
    return this;
  }

  public String getImageId() {
    return imageId;
  }

  public Target setImageId(String imageId) {
    this.imageId = imageId;
    return this;
  }

  public String getInitiatorIqn() {
    return initiatorIqn;
  }

  public Target setInitiatorIqn(String initiatorIqn) {
    this.initiatorIqn = initiatorIqn;
    return this;
  }

  public String getDeviceType() {
    return deviceType;
  }

  public Target setDeviceType(String deviceType) {
    this.deviceType = deviceType;
    return this;
  }

  public boolean isReadOnly() {
    return readOnly;
  }

  public Target setReadOnly(boolean readOnly) {
    this.readOnly = readOnly;
    return this;
  }

  public Chap getChap() {
    return chap;
  }

  public Target setChap(Chap chap) {
    this.chap = chap;
    return this;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public Target setCreatedAt(Instant createdAt) {
    this.createdAt = createdAt;
    return this;
  }

  /** The target node that serves it (its portal names it). */
  public String getNode() {
    return node;
  }

  public Target setNode(String node) {
    this.node = node;
    return this;
  }

  /**
   * Which start of that node: a node that restarts is a new incarnation and its targets are gone.
   */
  public String getIncarnation() {
    return incarnation;
  }

  public Target setIncarnation(String incarnation) {
    this.incarnation = incarnation;
    return this;
  }

  /** A drive: {@code imageId} is the disc in it now, null while it is empty. */
  public boolean isDrive() {
    return drive;
  }

  public Target setDrive(boolean drive) {
    this.drive = drive;
    return this;
  }
}
