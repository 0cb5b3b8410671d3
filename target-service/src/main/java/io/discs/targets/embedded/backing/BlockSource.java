package io.discs.targets.embedded.backing;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Read-only bytes a logical unit serves. A read whose bytes are in memory may complete at once, on
 * the caller's thread; one that waits for a disk completes off the event loop.
 */
public interface BlockSource extends AutoCloseable {

  long size();

  Future<Buffer> read(long offset, int length);

  @Override
  void close();
}
