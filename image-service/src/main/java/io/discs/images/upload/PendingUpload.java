package io.discs.images.upload;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.serviceproxy.ServiceException;

/**
 * One upload's bytes on their way into the store: the stream its body is piped to, what the bytes
 * measured once they all arrived, and the commit that keeps or drops them.
 */
public interface PendingUpload {

  WriteStream<Buffer> sink();

  long size();

  /** Only once, after the sink ended. */
  String sha256Hex();

  byte[] prefix();

  boolean exceededLimit();

  ServiceException tooLargeError();

  /** For failure paths: stops the sink and lets go of what it holds (the commit then drops). */
  Future<Void> abandon();

  BlobCommit commit();
}
