package io.discs.images.upload;

import io.vertx.core.Future;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Resumable upload rows in memory, with the real table's cap and expiry rules. */
final class InMemoryUploadRows implements UploadRows {
  final Map<UUID, Row> rows = new ConcurrentHashMap<>();

  @Override
  public synchronized Future<Optional<Row>> insertWithin(
      int cap,
      UUID id,
      String owner,
      String name,
      long length,
      String expectedSha256,
      OffsetDateTime expiresAt) {
    long unfinished =
        rows.values().stream().filter(r -> r.owner().equals(owner) && r.imageId() == null).count();
    if (unfinished >= cap) {
      return Future.succeededFuture(Optional.empty());
    }
    Row row = new Row(id, owner, name, length, 0, expectedSha256, null, expiresAt, null);
    rows.put(id, row);
    return Future.succeededFuture(Optional.of(row));
  }

  @Override
  public Future<Optional<Row>> get(UUID id) {
    return Future.succeededFuture(Optional.ofNullable(rows.get(id)));
  }

  @Override
  public synchronized Future<Optional<Row>> advance(
      UUID id, long from, long received, String pieces, OffsetDateTime expiresAt) {
    Row now = rows.get(id);
    if (now == null || now.received() != from || now.imageId() != null) {
      return Future.succeededFuture(Optional.empty());
    }
    return update(
        id,
        r ->
            new Row(
                r.id(),
                r.owner(),
                r.name(),
                r.length(),
                received,
                r.expectedSha256(),
                r.imageId(),
                expiresAt,
                pieces));
  }

  @Override
  public Future<Optional<Row>> complete(UUID id, UUID imageId, OffsetDateTime expiresAt) {
    return update(
        id,
        r ->
            new Row(
                r.id(),
                r.owner(),
                r.name(),
                r.length(),
                r.length(),
                r.expectedSha256(),
                imageId,
                expiresAt,
                r.pieces()));
  }

  private Future<Optional<Row>> update(UUID id, java.util.function.UnaryOperator<Row> change) {
    return Future.succeededFuture(
        Optional.ofNullable(rows.computeIfPresent(id, (key, r) -> change.apply(r))));
  }

  @Override
  public Future<Void> delete(UUID id) {
    rows.remove(id);
    return Future.succeededFuture();
  }

  @Override
  public synchronized Future<List<Row>> deleteExpired(OffsetDateTime now) {
    List<Row> expired = new ArrayList<>();
    for (Row row : List.copyOf(rows.values())) {
      if (row.expiresAt().isBefore(now)) {
        rows.remove(row.id());
        expired.add(row);
      }
    }
    return Future.succeededFuture(expired);
  }

  @Override
  public Future<List<UUID>> unfinishedIds() {
    return Future.succeededFuture(
        rows.values().stream().filter(r -> r.imageId() == null).map(Row::id).toList());
  }
}
