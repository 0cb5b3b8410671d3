package io.discs.platform;

import io.vertx.core.json.JsonObject;

/**
 * Base of the data objects that cross the event bus: an immutable JSON document with typed
 * accessors in each subclass. The JSON is the wire form and the API form at once, so they cannot
 * drift apart.
 */
public abstract class JsonDataObject {
  protected final JsonObject json;

  protected JsonDataObject(JsonObject json) {
    this.json = json == null ? new JsonObject() : json.copy();
  }

  public JsonObject toJson() {
    return json.copy();
  }

  /** Equal only to the same kind of data object: an image is never a target, whatever the JSON. */
  @Override
  @SuppressWarnings("EqualsGetClass")
  public boolean equals(Object other) {
    return other != null
        && other.getClass() == getClass()
        && ((JsonDataObject) other).json.equals(json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + json.encode();
  }
}
