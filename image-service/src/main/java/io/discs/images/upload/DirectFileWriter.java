package io.discs.images.upload;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Appends an upload's bytes to a file with direct I/O ({@code O_DIRECT}) where the file system
 * allows it, buffered I/O where it does not. An upload is written once and read later by others, so
 * keeping it in the page cache buys nothing: direct writes skip the kernel's copy into the cache
 * and its writeback, and the final fsync finds nothing left to write. Measured here: a 1 GiB
 * buffered write with fdatasync ran at 0.4–1.1 GB/s, a direct one at 1.4–2.5 GB/s, with less CPU.
 *
 * <p>Direct I/O wants buffers, offsets and lengths aligned to the block size, so bytes are first
 * <em>staged</em> into aligned buffers, and each buffer is <em>written</em> once full; the last,
 * partial one is written padded at {@link #finish()} and the file cut back to its length. Appending
 * at an offset inside a block starts by reading that block's first bytes back, so every write stays
 * aligned. The staging buffers are direct, never heap: the JDK would copy a heap buffer into an
 * aligned temporary one of its own, and on JDK 17 freeing that one throws in {@code
 * sun.nio.ch.Util.free} and spoils the thread's temporary-buffer cache.
 *
 * <p>Staging and writing are two roles for two threads: the upload's event loop stages each chunk
 * as it arrives, and the write stage writes the full buffers it is handed, several that follow each
 * other in one gathering write (their hand-over is the happens-before edge). Each role is one
 * caller at a time; full buffers come back for reuse through a concurrent queue. The staging role
 * never allocates: workers keep {@link #LEAST_SPARE} empty buffers waiting for it ({@link
 * #keepSpare}), and its owner pauses the source while fewer wait.
 */
final class DirectFileWriter implements AutoCloseable {
  private static final int MIN_ALIGNMENT = 4096;

  /**
   * Empty buffers the staging role needs at hand for one chunk of up to a buffer's size: it may
   * fill the current buffer and the next.
   */
  static final int LEAST_SPARE = 2;

  /**
   * A full staging buffer of whole blocks and where in the file it goes. Its bytes before {@code
   * from} were read back from the file (an append inside a block), not received.
   */
  record Staged(ByteBuffer bytes, long at, int from) {
    /** The bytes received for this upload. */
    ByteBuffer received() {
      return bytes.duplicate().position(from);
    }
  }

  private final Path file;
  private final int alignment;
  private final int stagingBytes;
  private final StagingBuffers staging;
  private final Queue<ByteBuffer> free = new ConcurrentLinkedQueue<>();
  private final AtomicInteger spare = new AtomicInteger();

  // The staging role's.
  private ByteBuffer filling;
  private long fillingAt;
  private int fillingFrom;
  private List<Staged> full = new ArrayList<>();

  // The writing role's.
  private FileChannel channel;
  private boolean direct;
  private boolean closed;

  private DirectFileWriter(
      Path file,
      FileChannel channel,
      boolean direct,
      int alignment,
      int stagingBytes,
      StagingBuffers staging) {
    this.file = file;
    this.staging = staging;
    this.channel = channel;
    this.direct = direct;
    this.alignment = alignment;
    this.stagingBytes = (stagingBytes + alignment - 1) / alignment * alignment;
    this.filling = aligned();
    staging.writerOpened();
    keepSpare(LEAST_SPARE);
  }

  /**
   * Opens {@code file} to write from {@code offset} on, cutting off anything past it (bytes written
   * before a crash that nobody recorded). Bytes are written in pieces of {@code stagingBytes}.
   * Blocking.
   */
  static DirectFileWriter open(Path file, long offset, int stagingBytes, StagingBuffers staging)
      throws IOException {
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
    DirectFileWriter writer =
        new DirectFileWriter(file, channel, direct, alignment, stagingBytes, staging);
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
    fillingAt = offset - offset % alignment;
    int head = (int) (offset - fillingAt);
    filling.clear();
    if (head > 0) {
      ByteBuffer block = filling.duplicate().limit(alignment);
      while (block.position() < head) {
        if (channel.read(block, fillingAt + block.position()) < 0) {
          throw new IOException("the file is shorter than its recorded offset " + offset);
        }
      }
      filling.position(head);
    }
    fillingFrom = head;
  }

  /** Staging role: copies {@code length} bytes in; a buffer that fills up is set aside whole. */
  void stage(byte[] bytes, int offset, int length) {
    stage(ByteBuffer.wrap(bytes, offset, length));
  }

  private void setFullAside() {
    full.add(new Staged(filling.flip(), fillingAt, fillingFrom));
    fillingAt += stagingBytes;
    fillingFrom = 0;
    filling = nextEmpty();
  }

  /**
   * Staging role (an event loop): a spare buffer, else one the process kept. Allocating here is the
   * last resort, for a chunk larger than the spares, which the HTTP server's chunks never are.
   */
  private ByteBuffer nextEmpty() {
    ByteBuffer reused = free.poll();
    if (reused != null) {
      spare.decrementAndGet();
      return reused.clear();
    }
    ByteBuffer kept = staging.takeKept(stagingBytes, alignment);
    return kept != null ? kept : aligned();
  }

  /**
   * Any worker: makes sure at least {@code count} empty buffers wait for the staging role, so that
   * a new one is allocated (zeroed; a GC under direct-memory pressure) here and never on the event
   * loop.
   */
  void keepSpare(int count) {
    while (spare.get() < count) {
      free.add(aligned());
      spare.incrementAndGet();
    }
  }

  /**
   * Staging role: takes buffers the process kept (never allocating) until {@code count} wait, or
   * none is kept.
   */
  void keepSpareFromKept(int count) {
    while (spare.get() < count) {
      ByteBuffer kept = staging.takeKept(stagingBytes, alignment);
      if (kept == null) {
        return;
      }
      free.add(kept);
      spare.incrementAndGet();
    }
  }

  /** How many empty buffers wait for the staging role. */
  int spare() {
    return spare.get();
  }

  /** Staging role: copies {@code bytes} in; a buffer that fills up is set aside whole. */
  void stage(ByteBuffer bytes) {
    ByteBuffer from = bytes.duplicate();
    while (from.hasRemaining()) {
      int take = Math.min(from.remaining(), filling.remaining());
      filling.put(filling.position(), from, from.position(), take);
      filling.position(filling.position() + take);
      from.position(from.position() + take);
      if (!filling.hasRemaining()) {
        setFullAside();
      }
    }
  }

  /** Staging role: the received bytes staged and not set aside yet (the last buffer's). */
  ByteBuffer partial() {
    return filling.duplicate().flip().position(fillingFrom);
  }

  /**
   * How many full buffers this writer should let wait for their write: its share of the process's
   * staging budget, between {@code least} and {@code most}.
   */
  int unwrittenShare(int least, int most) {
    long share = staging.shareBytes() / stagingBytes;
    return (int) Math.max(least, Math.min(most, share));
  }

  /** Staging role: the buffers filled since the last call, for the writing role. */
  List<Staged> takeStaged() {
    List<Staged> taken = full;
    full = new ArrayList<>();
    return taken;
  }

  /** Writing role: writes each buffer where it goes, then gives it back for reuse. */
  void write(List<Staged> staged) throws IOException {
    for (Staged piece : staged) {
      // A buffer set aside is full; one that is not was touched after it was handed over.
      if (piece.bytes().remaining() != stagingBytes || piece.at() % alignment != 0) {
        throw new IllegalStateException(
            "a staged buffer for "
                + file.getFileName()
                + " holds "
                + piece.bytes().remaining()
                + " bytes at "
                + piece.at()
                + ", not "
                + stagingBytes
                + " at a multiple of "
                + alignment);
      }
    }
    int from = 0;
    while (from < staged.size()) {
      int to = from + 1;
      while (to < staged.size() && staged.get(to).at() == staged.get(to - 1).at() + stagingBytes) {
        to++;
      }
      writeAt(staged.subList(from, to));
      from = to;
    }
    for (Staged piece : staged) {
      free.add(piece.bytes());
      spare.incrementAndGet();
    }
  }

  private void writeAt(List<Staged> run) throws IOException {
    writeAt(run.stream().map(Staged::bytes).toArray(ByteBuffer[]::new), run.get(0).at());
  }

  /**
   * One gathering write for buffers that follow each other in the file: the device gets them as
   * several requests at once rather than one at a time.
   */
  private void writeAt(ByteBuffer[] bytes, long at) throws IOException {
    try {
      writeFully(bytes, at);
    } catch (IOException directIoRefused) {
      if (!direct) {
        throw directIoRefused;
      }
      fallBackToBuffered();
      writeFully(bytes, at);
    }
  }

  private void writeFully(ByteBuffer[] bytes, long at) throws IOException {
    ByteBuffer[] out = new ByteBuffer[bytes.length];
    long length = 0;
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[i].duplicate();
      length += out[i].remaining();
    }
    long written = 0;
    while (written < length) {
      channel.position(at + written);
      written += channel.write(out);
    }
  }

  /**
   * Once every staged buffer is written: writes what is left padded to a whole block, cuts the file
   * to its length and makes it durable; then closes.
   */
  void finish() throws IOException {
    int staged = filling.position();
    long length = fillingAt + staged;
    if (staged > 0) {
      int padded = (staged + alignment - 1) / alignment * alignment;
      while (filling.position() < padded) {
        filling.put((byte) 0);
      }
      writeAt(new ByteBuffer[] {filling.flip()}, fillingAt);
    }
    long size = channel.size();
    if (size < length) {
      // Every byte received was written before this, or a write failed and said so: a shorter
      // file means writes were lost, and its digest would name bytes it does not hold.
      throw new IOException(
          file.getFileName() + " holds " + size + " bytes of the " + length + " written to it");
    }
    channel.truncate(length);
    channel.force(true);
    close();
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

  private ByteBuffer aligned() {
    return staging.take(stagingBytes, alignment);
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closed = true;
      // Staged buffers not written yet (an abandoned upload's) go to the garbage collector.
      for (ByteBuffer buffer = free.poll(); buffer != null; buffer = free.poll()) {
        spare.decrementAndGet();
        staging.giveBack(buffer, stagingBytes, alignment);
      }
      staging.giveBack(filling, stagingBytes, alignment);
      staging.writerClosed();
      channel.close();
    }
  }
}
