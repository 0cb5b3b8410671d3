package io.discs.platform.images;

import io.discs.platform.JsonDataObject;
import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/** A stored disc image, as the API shows it. */
@DataObject
public final class Image extends JsonDataObject {

  public Image(JsonObject json) {
    super(json);
  }

  public static Image of(
      String id,
      String name,
      long sizeBytes,
      String sha256,
      String format,
      String volumeId,
      boolean bootable,
      Instant createdAt,
      String createdBy) {
    return new Image(
        new JsonObject()
            .put("id", id)
            .put("name", name)
            .put("sizeBytes", sizeBytes)
            .put("sha256", sha256)
            .put("format", format)
            .put("volumeId", volumeId)
            .put("bootable", bootable)
            .put("createdAt", createdAt)
            .put("createdBy", createdBy));
  }

  public String id() {
    return json.getString("id");
  }

  public String name() {
    return json.getString("name");
  }

  public long sizeBytes() {
    return json.getLong("sizeBytes", 0L);
  }

  public String sha256() {
    return json.getString("sha256");
  }

  public String format() {
    return json.getString("format");
  }

  public boolean bootable() {
    return json.getBoolean("bootable", false);
  }
}
