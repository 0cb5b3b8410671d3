package io.discs.platform.sessions;

import io.discs.platform.JsonDataObject;
import io.vertx.codegen.annotations.DataObject;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * A mount: a target made for one person's initiator, alive while heartbeats arrive. Shape: {@code
 * {id, state, imageId, initiatorIqn, owner, target:{iqn,portal,lun}, chap?,
 * heartbeatIntervalSeconds, leaseExpiresAt, createdAt}}; {@code chap} only in the answer to start.
 */
@DataObject
public final class Session extends JsonDataObject {

  public Session(JsonObject json) {
    super(json);
  }

  public String id() {
    return json.getString("id");
  }

  public SessionState state() {
    return SessionState.valueOf(json.getString("state"));
  }

  public String targetId() {
    return json.getString("targetId");
  }

  public String owner() {
    return json.getString("owner");
  }

  public Instant leaseExpiresAt() {
    return json.getInstant("leaseExpiresAt");
  }
}
