package io.discs.images.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where image bytes live, addressed by their SHA-256. Every method blocks on the filesystem: call
 * them from a worker, never an event loop.
 */
public interface ImageStore {

  /** A new, empty temporary file on the same filesystem as the blobs, for one upload. */
  Path newTempFile() throws IOException;

  /**
   * Moves a complete, checked temporary file into place under its digest and makes it read-only. If
   * those bytes are already stored the temporary file is removed and the stored blob kept.
   */
  Path commit(Path tempFile, String sha256) throws IOException;

  Path pathFor(String sha256);

  boolean contains(String sha256);

  void delete(String sha256) throws IOException;

  /** Removes what interrupted uploads or a crash left behind; answers how many files. */
  int removeLeftovers() throws IOException;
}
