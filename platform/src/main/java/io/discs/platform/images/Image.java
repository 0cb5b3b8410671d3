package io.discs.platform.images;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A stored disc image, as the API shows it, with what inspection learned (volume size in logical
 * blocks, block size, the volume's own creation date as it states it, offset included).
 */
@DataObject
@JsonGen(publicConverter = false)
public final class Image {
  /**
   * The smallest image taken and served: less cannot hold a useful disc (an ISO 9660 descriptor set
   * alone is 34 KiB), and initiators probe the first and last 64 KiB.
   */
  public static final long MIN_BYTES = 64 * 1024;

  private String id;
  private String name;
  private long sizeBytes;
  private String sha256;
  private String format;
  private String volumeId;
  private boolean bootable;
  private Long volumeSpaceSize;
  private Integer logicalBlockSize;
  private String volumeCreatedAt;
  private Instant createdAt;
  private String createdBy;

  public Image() {}

  public Image(JsonObject json) {
    ImageConverter.fromJson(json, this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    ImageConverter.toJson(this, json);
    // The API documents these as nullable: present as null, not missing.
    return json.put("volumeId", volumeId).put("volumeCreatedAt", volumeCreatedAt);
  }

  public String getId() {
    return id;
  }

  public Image setId(String id) {
    this.id = id;
    return this;
  }

  public String getName() {
    return name;
  }

  public Image setName(String name) {
    this.name = name;
    return this;
  }

  public long getSizeBytes() {
    return sizeBytes;
  }

  public Image setSizeBytes(long sizeBytes) {
    this.sizeBytes = sizeBytes;
    return this;
  }

  public String getSha256() {
    return sha256;
  }

  public Image setSha256(String sha256) {
    this.sha256 = sha256;
    return this;
  }

  public String getFormat() {
    return format;
  }

  public Image setFormat(String format) {
    this.format = format;
    return this;
  }

  public String getVolumeId() {
    return volumeId;
  }

  public Image setVolumeId(String volumeId) {
    this.volumeId = volumeId;
    return this;
  }

  public boolean isBootable() {
    return bootable;
  }

  public Image setBootable(boolean bootable) {
    this.bootable = bootable;
    return this;
  }

  public Long getVolumeSpaceSize() {
    return volumeSpaceSize;
  }

  public Image setVolumeSpaceSize(Long volumeSpaceSize) {
    this.volumeSpaceSize = volumeSpaceSize;
    return this;
  }

  public Integer getLogicalBlockSize() {
    return logicalBlockSize;
  }

  public Image setLogicalBlockSize(Integer logicalBlockSize) {
    this.logicalBlockSize = logicalBlockSize;
    return this;
  }

  public String getVolumeCreatedAt() {
    return volumeCreatedAt;
  }

  public Image setVolumeCreatedAt(String volumeCreatedAt) {
    this.volumeCreatedAt = volumeCreatedAt;
    return this;
  }

  public Instant getCreatedAt() {
    return createdAt;
  }

  public Image setCreatedAt(Instant createdAt) {
    this.createdAt = createdAt;
    return this;
  }

  public String getCreatedBy() {
    return createdBy;
  }

  public Image setCreatedBy(String createdBy) {
    this.createdBy = createdBy;
    return this;
  }
}
