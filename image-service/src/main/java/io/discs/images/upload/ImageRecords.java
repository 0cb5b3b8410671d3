package io.discs.images.upload;

import io.discs.images.inspect.Inspection;
import io.discs.platform.images.Image;
import io.discs.platform.images.ImageBlobs;
import io.vertx.core.Future;
import java.util.Optional;

/** What an upload needs from the image rows. */
public interface ImageRecords {

  Future<Optional<Image>> findBySha256(String sha256);

  /** Inserts, or answers the row another upload of the same bytes inserted first. */
  Future<ImageBlobs.IngestResult> insert(
      String name, long sizeBytes, String sha256, Inspection.Disc disc, String createdBy);
}
