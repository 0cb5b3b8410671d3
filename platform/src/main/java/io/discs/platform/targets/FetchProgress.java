package io.discs.platform.targets;

import io.vertx.codegen.annotations.DataObject;
import io.vertx.codegen.json.annotations.JsonGen;
import io.vertx.core.json.JsonObject;

/** How far a target node's fetch of an image into its cache got. */
@DataObject
@JsonGen(publicConverter = false)
public final class FetchProgress {
  private long fetchedBytes;
  private long totalBytes;

  public FetchProgress() {}

  public FetchProgress(JsonObject json) {
    FetchProgressConverter.fromJson(json, this);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    FetchProgressConverter.toJson(this, json);
    return json;
  }

  public long getFetchedBytes() {
    return fetchedBytes;
  }

  public FetchProgress setFetchedBytes(long fetchedBytes) {
    this.fetchedBytes = fetchedBytes;
    return this;
  }

  public long getTotalBytes() {
    return totalBytes;
  }

  public FetchProgress setTotalBytes(long totalBytes) {
    this.totalBytes = totalBytes;
    return this;
  }
}
