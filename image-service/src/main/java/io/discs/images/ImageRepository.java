package io.discs.images;

import io.discs.images.inspect.Inspection;
import io.discs.images.upload.ImageRecords;
import io.discs.platform.images.Image;
import io.discs.platform.images.ImageBlobs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Image metadata in PostgreSQL. */
final class ImageRepository implements ImageRecords {
  private static final String COLUMNS =
      "id, name, size_bytes, sha256, format, volume_id, bootable, details, created_at, created_by";
  private static final String LIST =
      "SELECT "
          + COLUMNS
          + " FROM images.images"
          + " WHERE ($1::text IS NULL OR strpos(lower(name), lower($1)) > 0)"
          + " ORDER BY created_at, id OFFSET $2 LIMIT $3";
  private static final String GET = "SELECT " + COLUMNS + " FROM images.images WHERE id = $1";
  private static final String DELETE = "DELETE FROM images.images WHERE id = $1 RETURNING sha256";
  private static final String BY_SHA =
      "SELECT " + COLUMNS + " FROM images.images WHERE sha256 = $1";
  private static final String INSERT =
      "INSERT INTO images.images"
          + " (id, name, size_bytes, sha256, format, volume_id, bootable, details, created_by)"
          + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (sha256) DO NOTHING RETURNING "
          + COLUMNS;

  private final Pool pool;

  ImageRepository(Pool pool) {
    this.pool = pool;
  }

  Future<List<Image>> list(String nameContains, int offset, int limit) {
    return pool.preparedQuery(LIST)
        .execute(Tuple.of(nameContains, offset, limit))
        .map(
            rows -> {
              List<Image> images = new ArrayList<>();
              rows.forEach(row -> images.add(toImage(row)));
              return images;
            });
  }

  Future<Optional<Image>> get(UUID id) {
    return pool.preparedQuery(GET).execute(Tuple.of(id)).map(ImageRepository::first);
  }

  @Override
  public Future<Optional<Image>> findBySha256(String sha256) {
    return pool.preparedQuery(BY_SHA).execute(Tuple.of(sha256)).map(ImageRepository::first);
  }

  @Override
  public Future<ImageBlobs.IngestResult> insert(
      String name, long sizeBytes, String sha256, Inspection.Disc disc, String createdBy) {
    JsonObject details =
        new JsonObject()
            .put("volumeSpaceSize", disc.volumeSpaceSize())
            .put("logicalBlockSize", disc.logicalBlockSize())
            .put(
                "volumeCreatedAt",
                disc.volumeCreatedAt() == null ? null : disc.volumeCreatedAt().toString());
    Tuple row =
        Tuple.tuple()
            .addUUID(UUID.randomUUID())
            .addString(name)
            .addLong(sizeBytes)
            .addString(sha256)
            .addString(disc.format())
            .addString(disc.volumeId())
            .addBoolean(disc.bootable())
            .addValue(details)
            .addString(createdBy);
    return pool.preparedQuery(INSERT)
        .execute(row)
        .compose(
            rows -> {
              Optional<Image> inserted = first(rows);
              if (inserted.isPresent()) {
                return Future.succeededFuture(new ImageBlobs.IngestResult(inserted.get(), true));
              }
              return findBySha256(sha256)
                  .map(existing -> new ImageBlobs.IngestResult(existing.orElseThrow(), false));
            });
  }

  private static Optional<Image> first(RowSet<Row> rows) {
    return rows.iterator().hasNext()
        ? Optional.of(toImage(rows.iterator().next()))
        : Optional.empty();
  }

  /** Deletes the row; answers the digest of what it deleted, empty when there was no such row. */
  Future<Optional<String>> delete(UUID id) {
    return pool.preparedQuery(DELETE)
        .execute(Tuple.of(id))
        .map(
            rows ->
                rows.iterator().hasNext()
                    ? Optional.of(rows.iterator().next().getString("sha256"))
                    : Optional.<String>empty());
  }

  /** The listed columns, then what inspection learned (block size, volume size, creation date). */
  private static Image toImage(Row row) {
    Image image =
        new Image()
            .setId(row.getUUID("id").toString())
            .setName(row.getString("name"))
            .setSizeBytes(row.getLong("size_bytes"))
            .setSha256(row.getString("sha256"))
            .setFormat(row.getString("format"))
            .setVolumeId(row.getString("volume_id"))
            .setBootable(row.getBoolean("bootable"))
            .setCreatedAt(row.getOffsetDateTime("created_at").toInstant())
            .setCreatedBy(row.getString("created_by"));
    if (row.getJson("details") instanceof JsonObject details) {
      image
          .setVolumeSpaceSize(details.getLong("volumeSpaceSize"))
          .setLogicalBlockSize(details.getInteger("logicalBlockSize"))
          .setVolumeCreatedAt(details.getString("volumeCreatedAt"));
    }
    return image;
  }
}
