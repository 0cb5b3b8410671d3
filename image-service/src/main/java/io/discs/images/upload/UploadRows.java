package io.discs.images.upload;

import io.vertx.core.Future;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Where resumable uploads record how far each got and what it is to become. */
public interface UploadRows {

  /**
   * @param expectedSha256 null when the client named none
   * @param imageId null until the upload is complete
   * @param pieces where a bucket holds the bytes received ({@link PieceRuns}); null in a file store
   */
  record Row(
      UUID id,
      String owner,
      String name,
      long length,
      long received,
      String expectedSha256,
      UUID imageId,
      OffsetDateTime expiresAt,
      String pieces) {}

  /**
   * The new upload's row, or empty when its owner has {@code cap} unfinished uploads already; the
   * count and the insert are one step, so concurrent creations cannot all see room.
   */
  Future<Optional<Row>> insertWithin(
      int cap,
      UUID id,
      String owner,
      String name,
      long length,
      String expectedSha256,
      OffsetDateTime expiresAt);

  Future<Optional<Row>> get(UUID id);

  /**
   * Moves the upload from {@code from} bytes to {@code received}, only if it still has {@code from}
   * (else empty: another request moved it, or it is gone).
   *
   * @param pieces where the bytes now are, or null in a file store
   */
  Future<Optional<Row>> advance(
      UUID id, long from, long received, String pieces, OffsetDateTime expiresAt);

  Future<Optional<Row>> complete(UUID id, UUID imageId, OffsetDateTime expiresAt);

  Future<Void> delete(UUID id);

  /** Removes and answers the rows that expired before {@code now}. */
  Future<List<Row>> deleteExpired(OffsetDateTime now);

  Future<List<UUID>> unfinishedIds();
}
