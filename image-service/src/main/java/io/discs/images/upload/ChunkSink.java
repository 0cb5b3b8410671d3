package io.discs.images.upload;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import java.security.MessageDigest;

/** Where one request's chunk of a resumable upload goes, and what it measured once it ended. */
public interface ChunkSink extends WriteStream<Buffer> {

  /** For failure paths: stops taking bytes and lets go of what it holds; nothing is recorded. */
  Future<Void> abandon();

  long size();

  boolean exceededLimit();

  /** The upload's running digest, with this chunk in it once {@link #end()} completed. */
  MessageDigest digest();

  /** This chunk's own SHA-256 (sinks made to check their chunk), after {@link #end()}. */
  byte[] chunkSha256();

  /** Where the upload's bytes are once this chunk is recorded (the row's), or null for a file. */
  String pieces();
}
