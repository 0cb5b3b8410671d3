package io.discs.targets.embedded.backing;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A stored image opened read-only. Bytes past its end (in the last, partly filled block) read as
 * zeros.
 *
 * <p>Images never change once stored, so the file is also memory-mapped (in 1 GiB segments, mapped
 * by the first read that needs one): a read whose pages are all in the page cache is copied
 * straight out of the mapping on the caller's event loop. That saves two thread hops per command,
 * and answers to the commands of one socket read leave in one flush. A read that would wait for the
 * disk (or spans two segments, or the end of the file) runs on the worker pool instead, so a
 * page-cache miss never stalls an event loop. (A page evicted between the residency check and the
 * copy costs one disk read on the event loop; that needs memory pressure inside a microsecond.)
 */
public final class FileBlockSource implements BlockSource {
  private static final int SEGMENT_SHIFT = 30;
  private static final long SEGMENT_BYTES = 1L << SEGMENT_SHIFT;

  private final Path file;
  private final FileChannel channel;
  private final long size;
  private final WorkerExecutor io;
  // Never unmapped by hand: an event loop may be copying out of a segment while the last target
  // of this image goes away; the garbage collector unmaps once nobody can.
  private final AtomicReferenceArray<MappedByteBuffer> segments;

  private FileBlockSource(Path file, FileChannel channel, long size, WorkerExecutor io) {
    this.file = file;
    this.channel = channel;
    this.size = size;
    this.io = io;
    this.segments =
        new AtomicReferenceArray<>((int) ((size + SEGMENT_BYTES - 1) >>> SEGMENT_SHIFT));
  }

  /** Blocking: call from a worker. */
  public static FileBlockSource open(Path file, WorkerExecutor io) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    return new FileBlockSource(file.toAbsolutePath(), channel, channel.size(), io);
  }

  @Override
  public long size() {
    return size;
  }

  @Override
  public Future<Buffer> read(long offset, int length) {
    Buffer resident = copyIfResident(offset, length);
    if (resident != null) {
      return Future.succeededFuture(resident);
    }
    return io.executeBlocking(() -> readFromFile(offset, length), false);
  }

  @Override
  public Optional<FileRange> residentRange(long offset, int length) {
    return residentSlice(offset, length)
        .map(slice -> new FileRange(file.toString(), offset, length));
  }

  private Buffer copyIfResident(long offset, int length) {
    return residentSlice(offset, length)
        .map(slice -> Buffer.buffer(length).setBytes(0, slice))
        .orElse(null);
  }

  /** The mapped bytes, if one segment holds them all and every page of them is in memory. */
  private Optional<MappedByteBuffer> residentSlice(long offset, int length) {
    long end = offset + length;
    int index = (int) (offset >>> SEGMENT_SHIFT);
    if (length == 0 || end > size || index != (int) ((end - 1) >>> SEGMENT_SHIFT)) {
      return Optional.empty();
    }
    MappedByteBuffer segment = segments.get(index);
    if (segment == null) {
      return Optional.empty();
    }
    MappedByteBuffer slice =
        segment.slice((int) (offset - ((long) index << SEGMENT_SHIFT)), length);
    return slice.isLoaded() ? Optional.of(slice) : Optional.empty();
  }

  private Buffer readFromFile(long offset, int length) throws IOException {
    mapSegmentOf(offset);
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
  }

  private void mapSegmentOf(long offset) throws IOException {
    int index = (int) (offset >>> SEGMENT_SHIFT);
    if (offset >= size || segments.get(index) != null) {
      return;
    }
    long start = (long) index << SEGMENT_SHIFT;
    segments.compareAndSet(
        index,
        null,
        channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(SEGMENT_BYTES, size - start)));
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
