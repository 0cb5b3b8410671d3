package io.discs.platform;

/** Names of cluster-wide locks that more than one service takes. */
public final class Locks {
  private Locks() {}

  /**
   * Held while an image is deleted and while a target is made from it, so neither outruns the
   * other.
   */
  public static String imageUse(String imageId) {
    return "discs.image-use." + imageId;
  }
}
