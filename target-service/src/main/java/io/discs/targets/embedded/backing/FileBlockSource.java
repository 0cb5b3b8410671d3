package io.discs.targets.embedded.backing;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A stored image opened read-only; bytes past its end (in the last, partly filled block) read as
 * zeros; positional reads run on a worker pool, so a page-cache miss never stalls an event loop,
 * and many reads of one file proceed at once.
 */
public final class FileBlockSource implements BlockSource {
  private final FileChannel channel;
  private final long size;
  private final WorkerExecutor io;

  private FileBlockSource(FileChannel channel, long size, WorkerExecutor io) {
    this.channel = channel;
    this.size = size;
    this.io = io;
  }

  /** Blocking: call from a worker. */
  public static FileBlockSource open(Path file, WorkerExecutor io) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    return new FileBlockSource(channel, channel.size(), io);
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public Future<Buffer> read(long offset, int length) {
    return io.executeBlocking(
        () -> {
          ByteBuffer bytes = ByteBuffer.allocate(length);
          long position = offset;
          while (bytes.hasRemaining()) {
            int n = channel.read(bytes, position);
            if (n < 0) {
              break; // past the end of the file: the rest of the last block stays zero
            }
            position += n;
          }
          return Buffer.buffer(bytes.array());
        },
        false);
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // Closing a read-only channel loses nothing.
    }
  }
}
