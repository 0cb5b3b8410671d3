package io.discs.targets.embedded.backing;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/** Read-only bytes a logical unit serves. Reads complete off the event loop. */
public interface BlockSource extends AutoCloseable {

  long size();

  Future<Buffer> read(long offset, int length);

  @Override
  void close();
}
