package io.discs.image.impl;

import io.discs.platform.image.Image;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Image metadata in PostgreSQL. */
final class ImageRepository {
  private static final String COLUMNS = "id, name, size_bytes, sha256, format, volume_id, bootable, created_at, created_by";
  private static final String LIST = "SELECT " + COLUMNS + " FROM images"
      + " WHERE ($1::text IS NULL OR strpos(lower(name), lower($1)) > 0)"
      + " ORDER BY created_at, id OFFSET $2 LIMIT $3";
  private static final String GET = "SELECT " + COLUMNS + " FROM images WHERE id = $1";
  private static final String IN_USE = """
      SELECT EXISTS (SELECT 1 FROM targets WHERE image_id = $1)
          OR EXISTS (SELECT 1 FROM sessions WHERE image_id = $1 AND state = 'ACTIVE') AS in_use
      """;
  private static final String DELETE = "DELETE FROM images WHERE id = $1";

  private final Pool pool;

  ImageRepository(Pool pool) {
    this.pool = pool;
  }

  Future<List<Image>> list(String nameContains, int offset, int limit) {
    return pool.preparedQuery(LIST).execute(Tuple.of(nameContains, offset, limit)).map(rows -> {
      List<Image> images = new ArrayList<>();
      rows.forEach(row -> images.add(toImage(row)));
      return images;
    });
  }

  Future<Optional<Image>> get(UUID id) {
    return pool.preparedQuery(GET).execute(Tuple.of(id))
        .map(rows -> rows.iterator().hasNext() ? Optional.of(toImage(rows.iterator().next())) : Optional.empty());
  }

  /** Deletes in one transaction with the in-use check, so a target made meanwhile cannot lose its image. */
  Future<DeleteOutcome> deleteUnlessInUse(UUID id) {
    return pool.withTransaction(connection -> connection.preparedQuery("SELECT id FROM images WHERE id = $1 FOR UPDATE")
        .execute(Tuple.of(id))
        .compose(found -> {
          if (found.rowCount() == 0) {
            return Future.succeededFuture(DeleteOutcome.NOT_FOUND);
          }
          return connection.preparedQuery(IN_USE).execute(Tuple.of(id)).compose(use -> {
            if (use.iterator().next().getBoolean("in_use")) {
              return Future.succeededFuture(DeleteOutcome.IN_USE);
            }
            return connection.preparedQuery(DELETE).execute(Tuple.of(id)).map(DeleteOutcome.DELETED);
          });
        }));
  }

  enum DeleteOutcome {
    DELETED, NOT_FOUND, IN_USE
  }

  private static Image toImage(Row row) {
    return Image.of(row.getUUID("id").toString(), row.getString("name"), row.getLong("size_bytes"),
        row.getString("sha256"), row.getString("format"), row.getString("volume_id"), row.getBoolean("bootable"),
        row.getOffsetDateTime("created_at").toInstant(), row.getString("created_by"));
  }
}
