package io.discs.images.upload;

import java.io.IOException;

/**
 * A write to the image store failed while the store's file system had no room left. Decided by the
 * file system's free space when the write failed, since the JDK gives ENOSPC no type of its own.
 */
final class StoreFullException extends IOException {
  StoreFullException(IOException cause) {
    super("the image store is full", cause);
  }
}
