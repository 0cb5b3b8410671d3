package io.discs.audit;

import io.discs.platform.audit.AuditEntry;
import io.discs.platform.audit.AuditQuery;
import io.discs.platform.audit.AuditVerification;
import io.discs.platform.events.DomainEvent;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The audit log's SQL. Rows are only ever inserted: there is no update or delete here. */
final class AuditRepository {
  private static final String INSERT =
      """
      INSERT INTO audit_events (at, type, actor, resource, outcome, source_ip, details)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      """;
  private static final String SELECT =
      """
      SELECT id, at, type, actor, resource, outcome, source_ip, details FROM audit_events
      WHERE ($1::text IS NULL OR actor = $1)
        AND ($2::text IS NULL OR type = $2)
        AND ($3::timestamptz IS NULL OR at >= $3)
        AND ($4::bigint IS NULL OR id < $4)
      ORDER BY id DESC
      LIMIT $5
      """;

  private static final String VERIFY =
      """
      WITH chain AS (
        SELECT id, hash, prev_hash,
               audit_row_hash(id, at, type, actor, resource, outcome, source_ip, details, prev_hash) AS expected,
               coalesce(lag(hash) OVER (ORDER BY id), repeat('0', 64)) AS previous
        FROM audit_events)
      SELECT (SELECT count(*) FROM chain) AS checked, id, hash <> expected AS content_changed
      FROM chain WHERE hash <> expected OR prev_hash <> previous
      ORDER BY id LIMIT 1
      """;
  private static final String COUNT = "SELECT count(*) AS checked FROM audit_events";

  private final Pool pool;

  AuditRepository(Pool pool) {
    this.pool = pool;
  }

  Future<Void> append(DomainEvent event) {
    return pool.preparedQuery(INSERT)
        .execute(
            Tuple.of(
                OffsetDateTime.ofInstant(event.at(), ZoneOffset.UTC),
                event.type(),
                event.actor(),
                event.resource(),
                event.outcome().name().toLowerCase(),
                event.sourceIp(),
                event.details()))
        .mapEmpty();
  }

  Future<List<AuditEntry>> query(AuditQuery query) {
    OffsetDateTime since =
        query.since() == null ? null : OffsetDateTime.ofInstant(query.since(), ZoneOffset.UTC);
    return pool.preparedQuery(SELECT)
        .execute(Tuple.of(query.actor(), query.type(), since, query.beforeId(), query.limit()))
        .map(
            rows -> {
              List<AuditEntry> entries = new ArrayList<>();
              rows.forEach(row -> entries.add(toEntry(row)));
              return entries;
            });
  }

  Future<AuditVerification> verify() {
    return pool.query(VERIFY)
        .execute()
        .compose(
            rows -> {
              if (rows.rowCount() == 0) {
                return pool.query(COUNT)
                    .execute()
                    .map(count -> AuditVerification.intact(count.iterator().next().getLong(0)));
              }
              Row broken = rows.iterator().next();
              String reason =
                  broken.getBoolean("content_changed")
                      ? "its content does not match its hash"
                      : "it does not link to the row before it (a row was removed or re-hashed)";
              return Future.succeededFuture(
                  AuditVerification.broken(
                      broken.getLong("checked"), broken.getLong("id"), reason));
            });
  }

  private static AuditEntry toEntry(Row row) {
    return new AuditEntry(
        new JsonObject()
            .put("id", row.getLong("id"))
            .put("at", row.getOffsetDateTime("at").toInstant())
            .put("type", row.getString("type"))
            .put("actor", row.getString("actor"))
            .put("resource", row.getString("resource"))
            .put("outcome", row.getString("outcome"))
            .put("sourceIp", row.getString("source_ip"))
            .put("details", (JsonObject) row.getJson("details")));
  }
}
