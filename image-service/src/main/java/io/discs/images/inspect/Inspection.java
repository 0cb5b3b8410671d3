package io.discs.images.inspect;

import java.time.OffsetDateTime;

/** What the first sectors of an upload say it is. */
public sealed interface Inspection permits Inspection.Disc, Inspection.NotADisc {

  /**
   * A recognised disc image.
   *
   * @param volumeId null when the format keeps it where the prefix does not reach (plain UDF)
   * @param volumeCreatedAt null when absent or unparseable
   */
  record Disc(
      String format,
      String volumeId,
      long volumeSpaceSize,
      int logicalBlockSize,
      OffsetDateTime volumeCreatedAt,
      boolean bootable)
      implements Inspection {}

  record NotADisc(String reason) implements Inspection {}
}
