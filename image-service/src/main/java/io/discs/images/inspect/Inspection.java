package io.discs.images.inspect;

import java.time.OffsetDateTime;

/** What the first sectors of an upload say it is. */
public sealed interface Inspection permits Inspection.Disc, Inspection.NotADisc {

  /**
   * A recognised disc image.
   *
   * @param volumeId null when the format keeps it where the prefix does not reach (plain UDF)
   * @param volumeCreatedAt null when absent or unparseable
   * @param requiredBytes the least size the disc's own descriptors give it (ISO 9660: its volume
   *     space; UDF: where its partition ends), 0 when the prefix does not tell; an image with fewer
   *     bytes is truncated
   */
  record Disc(
      String format,
      String volumeId,
      long volumeSpaceSize,
      int logicalBlockSize,
      OffsetDateTime volumeCreatedAt,
      boolean bootable,
      long requiredBytes)
      implements Inspection {}

  record NotADisc(String reason) implements Inspection {}
}
