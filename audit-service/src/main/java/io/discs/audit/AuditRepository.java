package io.discs.audit;

import io.discs.audit.seal.AuditKey;
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
import java.util.Locale;

/** The audit log's SQL. Rows are only ever inserted: there is no update or delete here. */
final class AuditRepository {
  private static final String INSERT =
      """
      INSERT INTO audit.audit_events (at, type, actor, resource, outcome, source_ip, details)
      VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, hash
      """;
  private static final String INSERT_SEAL =
      "INSERT INTO audit.audit_seals (event_id, seal) VALUES ($1, $2)";
  private static final String HEAD =
      """
      SELECT (SELECT count(*) FROM audit.audit_seals) AS sealed, event_id, seal
      FROM audit.audit_seals ORDER BY event_id DESC LIMIT 1
      """;
  private static final String SEALED_PAGE =
      """
      SELECT e.id, e.hash, s.seal FROM audit.audit_events e LEFT JOIN audit.audit_seals s ON s.event_id = e.id
      WHERE e.id > $1 ORDER BY e.id LIMIT $2
      """;
  private static final String SEAL_OF = "SELECT seal FROM audit.audit_seals WHERE event_id = $1";
  private static final String SELECT =
      """
      SELECT id, at, type, actor, resource, outcome, source_ip, details FROM audit.audit_events
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
               audit.audit_row_hash(id, at, type, actor, resource, outcome, source_ip, details, prev_hash) AS expected,
               coalesce(lag(hash) OVER (ORDER BY id), repeat('0', 64)) AS previous
        FROM audit.audit_events)
      SELECT (SELECT count(*) FROM chain) AS checked, id, hash <> expected AS content_changed
      FROM chain WHERE hash <> expected OR prev_hash <> previous
      ORDER BY id LIMIT 1
      """;
  private static final String COUNT = "SELECT count(*) AS checked FROM audit.audit_events";

  private final Pool pool;

  AuditRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Inserts the event and its seal in one transaction; answers the new head. The database makes the
   * row's id and chained hash; the seal is made here, with a key the database never sees.
   */
  Future<Head> append(DomainEvent event, Head previous, AuditKey key) {
    return pool.withTransaction(
        connection ->
            connection
                .preparedQuery(INSERT)
                .execute(
                    Tuple.of(
                        OffsetDateTime.ofInstant(event.at(), ZoneOffset.UTC),
                        event.type(),
                        event.actor(),
                        event.resource(),
                        event.outcome().name().toLowerCase(Locale.ROOT),
                        event.sourceIp(),
                        event.details()))
                .compose(
                    rows -> {
                      Row row = rows.iterator().next();
                      long id = row.getLong("id");
                      String seal = key.seal(previous.seal(), row.getString("hash"));
                      return connection
                          .preparedQuery(INSERT_SEAL)
                          .execute(Tuple.of(id, seal))
                          .map(v -> new Head(previous.sealed() + 1, id, seal));
                    }));
  }

  /** The last sealed row, or the origin of an empty log. */
  Future<Head> head() {
    return pool.query(HEAD)
        .execute()
        .map(rows -> rows.rowCount() == 0 ? Head.EMPTY : toHead(rows.iterator().next()));
  }

  private static Head toHead(Row row) {
    return new Head(row.getLong("sealed"), row.getLong("event_id"), row.getString("seal"));
  }

  /** A page of rows after {@code afterId}, in id order, with their seals (null where none). */
  Future<List<SealedRow>> sealedPage(long afterId, int limit) {
    return pool.preparedQuery(SEALED_PAGE)
        .execute(Tuple.of(afterId, limit))
        .map(
            rows -> {
              List<SealedRow> page = new ArrayList<>();
              rows.forEach(
                  row ->
                      page.add(
                          new SealedRow(
                              row.getLong("id"), row.getString("hash"), row.getString("seal"))));
              return page;
            });
  }

  Future<String> sealOf(long eventId) {
    return pool.preparedQuery(SEAL_OF)
        .execute(Tuple.of(eventId))
        .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getString("seal"));
  }

  /**
   * @param sealed how many rows carry a seal
   */
  record Head(long sealed, long id, String seal) {
    static final Head EMPTY = new Head(0, 0, AuditKey.origin());
  }

  record SealedRow(long id, String hash, String seal) {}

  Future<List<AuditEntry>> query(AuditQuery query) {
    OffsetDateTime since =
        query.getSince() == null
            ? null
            : OffsetDateTime.ofInstant(query.getSince(), ZoneOffset.UTC);
    return pool.preparedQuery(SELECT)
        .execute(
            Tuple.of(
                query.getActor(), query.getType(), since, query.getBeforeId(), query.rowLimit()))
        .map(
            rows -> {
              List<AuditEntry> entries = new ArrayList<>();
              rows.forEach(row -> entries.add(toEntry(row)));
              return entries;
            });
  }

  /** The unkeyed SHA-256 chain, checked in the database: content and links of every row. */
  Future<AuditVerification> verifyHashes() {
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
    return new AuditEntry()
        .setId(row.getLong("id"))
        .setAt(row.getOffsetDateTime("at").toInstant())
        .setType(row.getString("type"))
        .setActor(row.getString("actor"))
        .setResource(row.getString("resource"))
        .setOutcome(row.getString("outcome"))
        .setSourceIp(row.getString("source_ip"))
        .setDetails((JsonObject) row.getJson("details"));
  }
}
