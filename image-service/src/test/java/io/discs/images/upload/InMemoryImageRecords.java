package io.discs.images.upload;

import io.discs.images.inspect.Inspection;
import io.discs.platform.images.Image;
import io.discs.platform.images.ImageBlobs;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Image rows in memory, keyed by digest as the real table's unique index is. */
final class InMemoryImageRecords implements ImageRecords {
  final Map<String, Image> bySha256 = new ConcurrentHashMap<>();

  @Override
  public Future<Optional<Image>> findBySha256(String sha256) {
    return Future.succeededFuture(Optional.ofNullable(bySha256.get(sha256)));
  }

  @Override
  public Future<ImageBlobs.IngestResult> insert(
      String name, long sizeBytes, String sha256, Inspection.Disc disc, String createdBy) {
    Image fresh =
        new Image()
            .setId(UUID.randomUUID().toString())
            .setName(name)
            .setSizeBytes(sizeBytes)
            .setSha256(sha256)
            .setFormat(disc.format())
            .setVolumeId(disc.volumeId())
            .setBootable(disc.bootable())
            .setCreatedBy(createdBy)
            .setCreatedAt(Instant.now());
    Image earlier = bySha256.putIfAbsent(sha256, fresh);
    return Future.succeededFuture(
        earlier == null
            ? new ImageBlobs.IngestResult(fresh, true)
            : new ImageBlobs.IngestResult(earlier, false));
  }
}
