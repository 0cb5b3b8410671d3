package io.discs.images.upload;

import io.vertx.core.Future;
import java.security.MessageDigest;
import java.util.Set;
import java.util.UUID;

/**
 * Where resumable uploads keep their bytes between requests: one node's disk ({@link
 * FileResumableBytes}) or a bucket every image node reaches ({@link BucketResumableBytes}). The row
 * ({@link UploadRows.Row}) says how many bytes count; anything past them is never read.
 */
public interface ResumableBytes {

  /** Makes room for a new upload's bytes. */
  Future<Void> create(UUID id);

  /**
   * A sink for the next chunk, continuing at the row's offset.
   *
   * @param sha256 the upload's running digest at that offset, fed with the chunk
   * @param checkChunk whether to hash the chunk alone as well
   */
  Future<ChunkSink> append(UploadRows.Row row, MessageDigest sha256, boolean checkChunk);

  /**
   * The digest of the row's first {@code received} bytes, read back (after a restart, or on another
   * node).
   */
  Future<MessageDigest> rehash(UploadRows.Row row);

  /** The first {@code length} bytes of a complete upload, for inspection. */
  Future<byte[]> prefix(UploadRows.Row row, int length);

  /** A complete upload's bytes, to be kept under their digest or dropped. */
  BlobCommit finished(UploadRows.Row row);

  /** Removes whatever is kept of the upload (nothing if nothing is). */
  Future<Void> delete(UUID id);

  /** The uploads that have bytes kept, to find bytes whose upload is gone. */
  Future<Set<UUID>> held();
}
