package io.discs.image.impl.upload;

import io.discs.image.impl.inspect.Inspection;
import io.discs.platform.image.Image;
import io.discs.platform.image.ImageBlobs;
import io.vertx.core.Future;
import java.util.Optional;

/** What an upload needs from the image rows. */
public interface ImageRecords {

  Future<Optional<Image>> findBySha256(String sha256);

  /** Inserts, or answers the row another upload of the same bytes inserted first. */
  Future<ImageBlobs.IngestResult> insert(String name, long sizeBytes, String sha256, Inspection.Disc disc,
      String createdBy);
}
