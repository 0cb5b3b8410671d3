package io.discs.session.impl;

import io.discs.platform.session.Session;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/** Session state changes in PostgreSQL (leases live in cluster-wide shared data, not here). */
final class SessionRepository {
  private static final String LIST = """
      SELECT id, state, image_id, initiator_iqn, owner, lease_expires_at, created_at FROM sessions
      WHERE ($1::text IS NULL OR owner = $1)
      ORDER BY created_at DESC, id
      LIMIT 1000
      """;

  private final Pool pool;
  private final int heartbeatSeconds;

  SessionRepository(Pool pool, int heartbeatSeconds) {
    this.pool = pool;
    this.heartbeatSeconds = heartbeatSeconds;
  }

  /** Sessions of {@code owner}, or of everybody when null. */
  Future<List<Session>> list(String owner) {
    return pool.preparedQuery(LIST).execute(Tuple.of(owner)).map(rows -> {
      List<Session> sessions = new ArrayList<>();
      rows.forEach(row -> sessions.add(toSession(row)));
      return sessions;
    });
  }

  private Session toSession(Row row) {
    return new Session(new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("state", row.getString("state"))
        .put("imageId", row.getUUID("image_id").toString())
        .put("initiatorIqn", row.getString("initiator_iqn"))
        .put("owner", row.getString("owner"))
        .put("heartbeatIntervalSeconds", heartbeatSeconds)
        .put("leaseExpiresAt", row.getOffsetDateTime("lease_expires_at").toInstant())
        .put("createdAt", row.getOffsetDateTime("created_at").toInstant()));
  }
}
