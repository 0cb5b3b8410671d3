package io.discs.platform.ids;

import io.discs.platform.error.DomainErrors;
import io.vertx.core.Future;
import java.util.UUID;

/** Resource ids are UUIDs; anything else is a client error, never a database error. */
public final class Ids {
  private Ids() {}

  public static Future<UUID> parse(String id, String what) {
    try {
      if (id == null || id.length() != 36) {
        throw new IllegalArgumentException();
      }
      return Future.succeededFuture(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(
          DomainErrors.notFound("no " + what + " " + (id == null ? "" : id)));
    }
  }
}
