package io.discs.platform.images;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.BufferImpl;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Upload bytes still in the network's pooled memory, lent to the one consumer that stores them.
 * Vert.x copies every received chunk out of Netty's pool into a fresh heap array (a GiB of garbage
 * per GiB uploaded, and a fifth of the event loop's time); the gateway hands a local upload's
 * chunks over without that copy instead, and the consumer gives each back once it has read it.
 * Giving back is idempotent; {@link #outstandingBytes()} counts what was lent and not given back,
 * so that a lost chunk shows (in tests, and as a gauge) rather than leaking the pool silently.
 */
public final class LentBuffer extends BufferImpl {
  private static final AtomicLong OUTSTANDING = new AtomicLong();
  private static final AtomicLong LENT = new AtomicLong();

  private final ByteBuf pooled;
  private final int length;
  private final AtomicBoolean givenBack = new AtomicBoolean();

  /** Takes over one reference to {@code pooled}. */
  public LentBuffer(ByteBuf pooled) {
    super(pooled);
    this.pooled = pooled;
    this.length = pooled.readableBytes();
    OUTSTANDING.addAndGet(length);
    LENT.addAndGet(length);
  }

  /** A view of the lent bytes, for copying them out without a heap array in between. */
  public ByteBuffer bytes() {
    return pooled.nioBuffer(pooled.readerIndex(), length);
  }

  /** Returns the memory to the pool; the buffer must not be read after. */
  public void giveBack() {
    if (givenBack.compareAndSet(false, true)) {
      OUTSTANDING.addAndGet(-length);
      pooled.release();
    }
  }

  /** Gives {@code buffer} back if it is a lent one; any other buffer is the garbage collector's. */
  public static void giveBack(Buffer buffer) {
    if (buffer instanceof LentBuffer lent) {
      lent.giveBack();
    }
  }

  /** Bytes this process has lent since it started (which uploads took this path). */
  public static long lentBytesTotal() {
    return LENT.get();
  }

  /** Bytes lent by this process and not given back yet. */
  public static long outstandingBytes() {
    return OUTSTANDING.get();
  }

  /**
   * Shows {@link #outstandingBytes()} as {@code discs_image_upload_lent_bytes}; whoever lends or
   * borrows registers it (the gateway, image-service), once per registry however many do.
   */
  public static void registerGauge(MeterRegistry registry) {
    Gauge.builder("discs.image.upload.lent.bytes", LentBuffer::outstandingBytes)
        .description(
            "upload bytes lent from the network's buffer pool and not given back yet (near zero"
                + " once uploads end: growth while idle is a leak)")
        .baseUnit("bytes")
        .register(registry);
  }
}
