package io.discs.platform.images;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;

/**
 * How an image deletion and the targets being made from that image keep out of each other's way
 * without one lock for both, which would let only one target per image be made at a time (a class
 * of people mounting the same disc would queue behind each other).
 *
 * <p>A deletion marks the image in a cluster-wide map, then asks whether any target or session uses
 * it. A target creation inserts its row, then looks for the mark and, if it is there, takes its row
 * back. Whichever comes second sees the other: the deletion sees the row, or the creation sees the
 * mark. Deletions of one image still take a lock among themselves ({@link #lockName}). The mark
 * expires by itself, in case the deleting process dies before it takes it away.
 */
public final class ImageDeletions {
  private static final String MAP = "discs.image-deletions";
  private static final long MARK_TTL_MS = 60_000;

  private ImageDeletions() {}

  /** The cluster-wide lock one deletion of {@code imageId} holds. */
  public static String lockName(String imageId) {
    return "discs.image-delete." + imageId;
  }

  public static Future<Void> mark(Vertx vertx, String imageId) {
    return map(vertx).compose(map -> map.put(imageId, Boolean.TRUE, MARK_TTL_MS));
  }

  public static Future<Void> unmark(Vertx vertx, String imageId) {
    return map(vertx).compose(map -> map.remove(imageId)).mapEmpty();
  }

  /** Whether a deletion of {@code imageId} is under way. */
  public static Future<Boolean> underway(Vertx vertx, String imageId) {
    return map(vertx).compose(map -> map.get(imageId)).map(Boolean.TRUE::equals);
  }

  private static Future<AsyncMap<String, Boolean>> map(Vertx vertx) {
    return vertx.sharedData().getAsyncMap(MAP);
  }
}
