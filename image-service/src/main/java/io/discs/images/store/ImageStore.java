package io.discs.images.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;

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

  /**
   * The file of a resumable upload, which outlives restarts (unlike {@link #newTempFile()}); on the
   * same filesystem as the blobs.
   */
  Path resumableFile(UUID uploadId);

  /** Creates the empty file of a new resumable upload. */
  Path newResumableFile(UUID uploadId) throws IOException;

  /** The uploads that have a file, to find files whose upload is gone. */
  Set<UUID> resumableUploads() throws IOException;

  /** Removes what interrupted uploads or a crash left behind; answers how many files. */
  int removeLeftovers() throws IOException;
}
