package io.discs.images.upload;

import com.sun.nio.file.ExtendedOpenOption;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends an upload's bytes to a file with direct I/O ({@code O_DIRECT}) where the file system
 * allows it, buffered I/O where it does not. An upload is written once and read later by others, so
 * keeping it in the page cache buys nothing: direct writes skip the kernel's copy into the cache
 * and its writeback, and the final fsync finds nothing left to write. Measured here: a 1 GiB
 * buffered write with fdatasync ran at 0.4–1.1 GB/s, a direct one at 2.5 GB/s, with less CPU.
 *
 * <p>Direct I/O wants buffers, offsets and lengths aligned to the block size: bytes go through an
 * aligned staging buffer and leave it in whole blocks; the last partial block is written padded and
 * the file cut back to its length. Appending at an offset inside a block starts by reading that
 * block's first bytes back, so every write stays aligned. Not thread-safe: one caller at a time
 * (the upload's write stage). Hashing is not done here but on another thread beside it: on a
 * two-core machine the two ways measured the same, and on more cores the hash alone sets the pace.
 */
final class DirectFileWriter implements AutoCloseable {
  private static final int MIN_ALIGNMENT = 4096;

  private final Path file;
  private final int alignment;
  private FileChannel channel;
  private boolean direct;
  private final ByteBuffer staging;
  private final BufferBytes bytes = new BufferBytes();

  /** Where the staging buffer's first byte goes in the file; always aligned. */
  private long stagedAt;

  private boolean closed;

  private DirectFileWriter(
      Path file, FileChannel channel, boolean direct, int alignment, int stagingBytes) {
    this.file = file;
    this.channel = channel;
    this.direct = direct;
    this.alignment = alignment;
    this.staging = aligned(stagingBytes);
  }

  /**
   * Opens {@code file} to write from {@code offset} on, cutting off anything past it (bytes written
   * before a crash that nobody recorded). Bytes are written in pieces of up to {@code
   * stagingBytes}. Blocking.
   */
  static DirectFileWriter open(Path file, long offset, int stagingBytes) throws IOException {
    int alignment = (int) Math.max(MIN_ALIGNMENT, Files.getFileStore(file).getBlockSize());
    FileChannel channel;
    boolean direct;
    try {
      channel =
          FileChannel.open(
              file, StandardOpenOption.READ, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
      direct = true;
    } catch (IOException | UnsupportedOperationException noDirectIo) {
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      direct = false;
    }
    DirectFileWriter writer = new DirectFileWriter(file, channel, direct, alignment, stagingBytes);
    try {
      try {
        writer.startAt(offset);
      } catch (IOException directIoRefused) {
        if (!writer.direct) {
          throw directIoRefused;
        }
        writer.fallBackToBuffered();
        writer.startAt(offset);
      }
    } catch (IOException e) {
      writer.close();
      throw e;
    }
    return writer;
  }

  private void startAt(long offset) throws IOException {
    channel.truncate(offset);
    stagedAt = offset - offset % alignment;
    int head = (int) (offset - stagedAt);
    if (head > 0) {
      ByteBuffer block = staging.duplicate().limit(alignment);
      while (block.position() < head) {
        if (channel.read(block, stagedAt + block.position()) < 0) {
          throw new IOException("the file is shorter than its recorded offset " + offset);
        }
      }
      staging.position(head);
    }
  }

  /** Copies {@code buffers} in and writes every whole block of each staging buffer it fills. */
  void write(List<Buffer> buffers) throws IOException {
    for (Buffer buffer : buffers) {
      int at = 0;
      int length = buffer.length();
      while (at < length) {
        int take = Math.min(length - at, staging.remaining());
        bytes.copy(buffer, at, take, staging);
        at += take;
        if (!staging.hasRemaining()) {
          writeStaged();
        }
      }
    }
  }

  /** Writes what is staged, cuts the file to its length and makes it durable; then closes. */
  void finish() throws IOException {
    int staged = staging.position();
    long length = stagedAt + staged;
    if (staged > 0) {
      int padded = (staged + alignment - 1) / alignment * alignment;
      while (staging.position() < padded) {
        staging.put((byte) 0);
      }
      writeStaged();
    }
    channel.truncate(length);
    channel.force(true);
    close();
  }

  /** Writes the whole blocks staged; the part of a block not yet whole moves to the front. */
  private void writeStaged() throws IOException {
    int staged = staging.position();
    int whole = staged - staged % alignment;
    ByteBuffer out = staging.duplicate().position(0).limit(whole);
    try {
      writeFully(out);
    } catch (IOException directIoRefused) {
      if (!direct) {
        throw directIoRefused;
      }
      fallBackToBuffered();
      writeFully(out.position(0));
    }
    stagedAt += whole;
    ByteBuffer rest = staging.duplicate().position(whole).limit(staged);
    staging.clear();
    staging.put(rest);
  }

  private void writeFully(ByteBuffer out) throws IOException {
    while (out.hasRemaining()) {
      channel.write(out, stagedAt + out.position());
    }
  }

  /**
   * Some file systems open a file for direct I/O and then refuse the writes (FUSE, some network
   * file systems): the same bytes go again through the page cache, and so does the rest.
   */
  private void fallBackToBuffered() throws IOException {
    channel.close();
    channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    direct = false;
  }

  private ByteBuffer aligned(int bytes) {
    int rounded = (bytes + alignment - 1) / alignment * alignment;
    return ByteBuffer.allocateDirect(rounded + alignment).alignedSlice(alignment).slice(0, rounded);
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      channel.close();
    }
  }
}
