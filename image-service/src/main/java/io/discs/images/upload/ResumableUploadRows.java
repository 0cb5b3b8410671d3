package io.discs.images.upload;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The rows of resumable uploads: how far each got and what it is to become. */
public final class ResumableUploadRows implements UploadRows {
  private static final String COLUMNS =
      "id, owner, name, length, received, expected_sha256, image_id, expires_at, pieces";

  /**
   * The owner's unfinished uploads are counted and the new one added under a transaction-scoped
   * lock of that owner, so that concurrent creations cannot all see room under the cap.
   */
  private static final String LOCK_OWNER =
      "SELECT pg_advisory_xact_lock(hashtextextended('discs.resumable-uploads:' || $1, 0))";

  private static final String INSERT_WITHIN_CAP =
      "INSERT INTO images.resumable_uploads (id, owner, name, length, expected_sha256, expires_at)"
          + " SELECT $1, $2, $3, $4, $5, $6 WHERE (SELECT count(*) FROM images.resumable_uploads"
          + " WHERE owner = $2 AND image_id IS NULL) < $7 RETURNING "
          + COLUMNS;
  private static final String GET =
      "SELECT " + COLUMNS + " FROM images.resumable_uploads WHERE id = $1";
  private static final String ADVANCE =
      "UPDATE images.resumable_uploads SET received = $3, pieces = $4, expires_at = $5"
          + " WHERE id = $1 AND received = $2 AND image_id IS NULL RETURNING "
          + COLUMNS;
  private static final String COMPLETE =
      "UPDATE images.resumable_uploads SET received = length, image_id = $2, expires_at = $3"
          + " WHERE id = $1 RETURNING "
          + COLUMNS;
  private static final String DELETE = "DELETE FROM images.resumable_uploads WHERE id = $1";
  private static final String DELETE_EXPIRED =
      "DELETE FROM images.resumable_uploads WHERE expires_at < $1 RETURNING " + COLUMNS;
  private static final String UNFINISHED_IDS =
      "SELECT id FROM images.resumable_uploads WHERE image_id IS NULL";

  private final Pool pool;

  public ResumableUploadRows(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Optional<Row>> insertWithin(
      int cap,
      UUID id,
      String owner,
      String name,
      long length,
      String expectedSha256,
      OffsetDateTime expiresAt) {
    return pool.withTransaction(
        connection ->
            connection
                .preparedQuery(LOCK_OWNER)
                .execute(Tuple.of(owner))
                .compose(
                    locked ->
                        connection
                            .preparedQuery(INSERT_WITHIN_CAP)
                            .execute(
                                Tuple.of(id, owner, name, length, expectedSha256, expiresAt)
                                    .addInteger(cap)))
                .map(ResumableUploadRows::first));
  }

  @Override
  public Future<Optional<Row>> get(UUID id) {
    return pool.preparedQuery(GET).execute(Tuple.of(id)).map(ResumableUploadRows::first);
  }

  @Override
  public Future<Optional<Row>> advance(
      UUID id, long from, long received, String pieces, OffsetDateTime expiresAt) {
    return pool.preparedQuery(ADVANCE)
        .execute(Tuple.of(id, from, received, pieces, expiresAt))
        .map(ResumableUploadRows::first);
  }

  @Override
  public Future<Optional<Row>> complete(UUID id, UUID imageId, OffsetDateTime expiresAt) {
    return pool.preparedQuery(COMPLETE)
        .execute(Tuple.of(id, imageId, expiresAt))
        .map(ResumableUploadRows::first);
  }

  @Override
  public Future<Void> delete(UUID id) {
    return pool.preparedQuery(DELETE).execute(Tuple.of(id)).mapEmpty();
  }

  @Override
  public Future<List<Row>> deleteExpired(OffsetDateTime now) {
    return pool.preparedQuery(DELETE_EXPIRED).execute(Tuple.of(now)).map(ResumableUploadRows::all);
  }

  @Override
  public Future<List<UUID>> unfinishedIds() {
    return pool.preparedQuery(UNFINISHED_IDS)
        .execute()
        .map(
            rows -> {
              List<UUID> ids = new ArrayList<>();
              rows.forEach(row -> ids.add(row.getUUID(0)));
              return ids;
            });
  }

  private static Optional<Row> first(Iterable<io.vertx.sqlclient.Row> rows) {
    var it = rows.iterator();
    return it.hasNext() ? Optional.of(toRow(it.next())) : Optional.empty();
  }

  private static List<Row> all(Iterable<io.vertx.sqlclient.Row> rows) {
    List<Row> list = new ArrayList<>();
    rows.forEach(row -> list.add(toRow(row)));
    return list;
  }

  private static Row toRow(io.vertx.sqlclient.Row row) {
    String expected = row.getString("expected_sha256");
    return new Row(
        row.getUUID("id"),
        row.getString("owner"),
        row.getString("name"),
        row.getLong("length"),
        row.getLong("received"),
        expected == null ? null : expected.trim(),
        row.getUUID("image_id"),
        row.getOffsetDateTime("expires_at"),
        row.getString("pieces"));
  }
}
