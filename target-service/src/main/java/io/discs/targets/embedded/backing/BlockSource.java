package io.discs.targets.embedded.backing;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;

/**
 * Read-only bytes a logical unit serves. A read whose bytes are in memory may complete at once, on
 * the caller's thread; one that waits for a disk completes off the event loop.
 */
public interface BlockSource extends AutoCloseable {

  long size();

  Future<Buffer> read(long offset, int length);

  /**
   * The bytes as a range of a file, when they are all in the page cache and inside the file (not
   * the zero padding past its end): a socket can send them without copying them through the heap.
   * Empty otherwise; {@link #read} always works.
   */
  default Optional<FileRange> residentRange(long offset, int length) {
    return Optional.empty();
  }

  @Override
  void close();
}
