package io.discs.sessions;

import io.discs.platform.sessions.SessionState;
import io.discs.platform.targets.Target;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Session state changes in PostgreSQL. Leases live in cluster-wide shared data ({@link Leases});
 * the lease column only holds the lease as of the last state change.
 */
final class SessionRepository {
  private static final String COLUMNS =
      "id, state, image_id, target_id, target_iqn, target_portal, target_lun, device_type, initiator_iqn, "
          + "owner, lease_expires_at, created_at, ended_at, target_node, target_incarnation, reason, drive";
  private static final String LIST =
      "SELECT "
          + COLUMNS
          + " FROM sessions.sessions WHERE ($1::text IS NULL OR owner = $1)"
          + " AND ($2::text IS NULL OR state = $2) AND drive = $5"
          + " ORDER BY created_at DESC, id OFFSET $3 LIMIT $4";
  private static final String GET = "SELECT " + COLUMNS + " FROM sessions.sessions WHERE id = $1";
  private static final String ACTIVE =
      "SELECT " + COLUMNS + " FROM sessions.sessions WHERE state = 'ACTIVE'";
  private static final String PREPARING_SINCE =
      "SELECT "
          + COLUMNS
          + " FROM sessions.sessions WHERE state = 'ACTIVE' AND target_id IS NULL"
          + " AND created_at < $1";
  private static final String ACTIVE_WITH_TARGET =
      "SELECT "
          + COLUMNS
          + " FROM sessions.sessions WHERE target_id = $1"
          + " AND state = 'ACTIVE'";
  private static final String ACTIVE_FOR_IMAGE =
      "SELECT EXISTS (SELECT 1 FROM sessions.sessions WHERE image_id = $1 AND state = 'ACTIVE')";
  private static final String ACTIVE_COUNTS =
      "SELECT image_id, count(*) FROM sessions.sessions WHERE state = 'ACTIVE'"
          + " AND image_id = ANY($1) GROUP BY image_id";
  private static final String ALL_ACTIVE =
      "SELECT count(*) FROM sessions.sessions WHERE state = 'ACTIVE'";
  private static final String COUNT_ACTIVE =
      "SELECT count(*) FROM sessions.sessions WHERE owner = $1 AND state = 'ACTIVE'";
  private static final String INSERT =
      """
      INSERT INTO sessions.sessions (id, state, image_id, initiator_iqn, device_type, owner, lease_expires_at, drive)
      VALUES ($1, 'ACTIVE', $2, $3, $4, $5, $6, $7)
      """;
  private static final String SET_DISC =
      "UPDATE sessions.sessions SET image_id = $2 WHERE id = $1 AND drive AND state = 'ACTIVE'";
  private static final String ATTACH =
      """
      UPDATE sessions.sessions SET target_id = $2, target_iqn = $3, target_portal = $4, target_lun = $5,
                                   target_node = $6, target_incarnation = $7
      WHERE id = $1 AND state = 'ACTIVE'
      """;

  private static final String PLACE =
      """
      UPDATE sessions.sessions SET target_node = $2, target_incarnation = $3
      WHERE id = $1 AND state = 'ACTIVE' AND target_id IS NULL
      """;

  /** Only an ACTIVE session changes state, so two enders (user and reaper) cannot both win. */
  private static final String FINISH =
      """
      UPDATE sessions.sessions SET state = $2, ended_at = now(), lease_expires_at = least(lease_expires_at, now()),
                                   reason = $3
      WHERE id = $1 AND state = 'ACTIVE'
      """;

  record StoredSession(
      UUID id,
      SessionState state,
      UUID imageId,
      UUID targetId,
      String targetIqn,
      String targetPortal,
      Integer targetLun,
      String deviceType,
      String initiatorIqn,
      String owner,
      Instant leaseExpiresAt,
      Instant createdAt,
      String targetNode,
      String targetIncarnation,
      String reason,
      boolean drive) {}

  private final Pool pool;

  SessionRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * @param owner only this owner's, or everyone's when null
   * @param state only sessions in this stored state, or all when null
   * @param drives drives, or else mounts
   */
  Future<List<StoredSession>> list(
      String owner, SessionState state, boolean drives, int offset, int limit) {
    return pool.preparedQuery(LIST)
        .execute(Tuple.of(owner, state == null ? null : state.name(), offset, limit, drives))
        .map(SessionRepository::all);
  }

  /** The disc a drive was last given (null: ejected), while the drive is active. */
  Future<Void> setDisc(UUID id, UUID imageId) {
    return pool.preparedQuery(SET_DISC).execute(Tuple.of(id, imageId)).mapEmpty();
  }

  /** Active sessions per image, for the images given. */
  Future<java.util.Map<UUID, Long>> activeCounts(List<UUID> imageIds) {
    return pool.preparedQuery(ACTIVE_COUNTS)
        .execute(Tuple.of(imageIds.toArray(UUID[]::new)))
        .map(
            rows -> {
              java.util.Map<UUID, Long> counts = new java.util.HashMap<>();
              rows.forEach(row -> counts.put(row.getUUID(0), row.getLong(1)));
              return counts;
            });
  }

  Future<Optional<StoredSession>> get(UUID id) {
    return pool.preparedQuery(GET)
        .execute(Tuple.of(id))
        .map(rows -> all(rows).stream().findFirst());
  }

  Future<List<StoredSession>> active() {
    return pool.query(ACTIVE).execute().map(SessionRepository::all);
  }

  /** The sessions still preparing (active, no target yet) that began before {@code before}. */
  Future<List<StoredSession>> preparingSince(Instant before) {
    return pool.preparedQuery(PREPARING_SINCE)
        .execute(Tuple.of(OffsetDateTime.ofInstant(before, ZoneOffset.UTC)))
        .map(SessionRepository::all);
  }

  Future<Optional<StoredSession>> activeWithTarget(UUID targetId) {
    return pool.preparedQuery(ACTIVE_WITH_TARGET)
        .execute(Tuple.of(targetId))
        .map(rows -> all(rows).stream().findFirst());
  }

  Future<Boolean> activeForImage(UUID imageId) {
    return pool.preparedQuery(ACTIVE_FOR_IMAGE)
        .execute(Tuple.of(imageId))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  Future<Long> countActive(String owner) {
    return pool.preparedQuery(COUNT_ACTIVE)
        .execute(Tuple.of(owner))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /**
   * @param imageId the disc; null only for a drive made empty
   */
  Future<Void> insert(
      UUID id,
      UUID imageId,
      String initiatorIqn,
      String deviceType,
      String owner,
      Instant lease,
      boolean drive) {
    return pool.preparedQuery(INSERT)
        .execute(
            Tuple.of(
                id,
                imageId,
                initiatorIqn,
                deviceType,
                owner,
                OffsetDateTime.ofInstant(lease, ZoneOffset.UTC),
                drive))
        .mapEmpty();
  }

  /**
   * Records the node a preparing session was placed on, before its target exists, so that the
   * node's loss fails the session as it would an active one.
   */
  Future<Void> placeOn(UUID id, String node, String incarnation) {
    UUID start;
    try {
      start = UUID.fromString(incarnation);
    } catch (IllegalArgumentException notAStart) {
      return Future.succeededFuture(); // a node that names its starts otherwise: not recorded
    }
    return pool.preparedQuery(PLACE).execute(Tuple.of(id, node, start)).mapEmpty();
  }

  /** Whether the session was still ACTIVE and so has the target now (else it ended meanwhile). */
  Future<Boolean> attachTarget(UUID id, Target target) {
    return pool.preparedQuery(ATTACH)
        .execute(
            Tuple.tuple()
                .addUUID(id)
                .addUUID(UUID.fromString(target.getId()))
                .addString(target.getIqn())
                .addString(target.getPortal())
                .addInteger(target.getLun())
                .addString(target.getNode())
                .addUUID(
                    target.getIncarnation() == null
                        ? null
                        : UUID.fromString(target.getIncarnation())))
        .map(result -> result.rowCount() > 0);
  }

  /**
   * True when this call moved the session out of ACTIVE.
   *
   * @param reason why, when the owner did not end it; else null
   */
  Future<Boolean> finish(UUID id, SessionState state, String reason) {
    return pool.preparedQuery(FINISH)
        .execute(Tuple.of(id, state.name(), reason))
        .map(rows -> rows.rowCount() == 1);
  }

  private static List<StoredSession> all(RowSet<Row> rows) {
    List<StoredSession> sessions = new ArrayList<>();
    for (Row row : rows) {
      sessions.add(
          new StoredSession(
              row.getUUID("id"),
              SessionState.valueOf(row.getString("state")),
              row.getUUID("image_id"),
              row.getUUID("target_id"),
              row.getString("target_iqn"),
              row.getString("target_portal"),
              row.getInteger("target_lun"),
              row.getString("device_type"),
              row.getString("initiator_iqn"),
              row.getString("owner"),
              row.getOffsetDateTime("lease_expires_at").toInstant(),
              row.getOffsetDateTime("created_at").toInstant(),
              row.getString("target_node"),
              row.getUUID("target_incarnation") == null
                  ? null
                  : row.getUUID("target_incarnation").toString(),
              row.getString("reason"),
              row.getBoolean("drive")));
    }
    return sessions;
  }

  /** Active sessions of everyone, for the gauge. */
  Future<Long> countAllActive() {
    return pool.query(ALL_ACTIVE).execute().map(rows -> rows.iterator().next().getLong(0));
  }
}
