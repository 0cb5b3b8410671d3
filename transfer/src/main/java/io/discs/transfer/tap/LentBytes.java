package io.discs.transfer.tap;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the taps of one Vert.x instance have lent ({@link LentBuffer}) and what is still out. One
 * per Vert.x instance, kept in its local shared data: the gateway lends and image-service beside it
 * gives back, while two Vert.x instances in one JVM (the cluster tests' nodes) count apart.
 */
public final class LentBytes implements Shareable {
  private static final String MAP_NAME = "discs.transfer.lent-bytes";

  private final AtomicLong outstanding = new AtomicLong();
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong releasedElsewhere = new AtomicLong();

  /** A counter of its own, for a tap used without a Vert.x instance's (tests of the tap). */
  public LentBytes() {}

  public static LentBytes of(Vertx vertx) {
    LocalMap<String, LentBytes> map = vertx.sharedData().getLocalMap(MAP_NAME);
    LentBytes fresh = new LentBytes();
    LentBytes earlier = map.putIfAbsent("lent", fresh);
    return earlier != null ? earlier : fresh;
  }

  /**
   * Lends {@code pooled} (taking over one reference to it) as the tap lends a chunk it took off a
   * connection: for the tap, and for tests that stand in for a connection.
   */
  public Buffer lend(ByteBuf pooled) {
    return VertxPipeline.lend(pooled, this);
  }

  void lent(long bytes) {
    outstanding.addAndGet(bytes);
    total.addAndGet(bytes);
  }

  void givenBack(long bytes) {
    outstanding.addAndGet(-bytes);
  }

  /** A chunk was found released by someone else when it was given back: a bug, counted. */
  void releasedElsewhere() {
    releasedElsewhere.incrementAndGet();
  }

  /** Chunks found released by someone else when given back (should stay zero). */
  public long releasedElsewhereCount() {
    return releasedElsewhere.get();
  }

  /** Bytes lent and not given back yet. */
  public long outstanding() {
    return outstanding.get();
  }

  /** Bytes lent since this Vert.x instance started (which uploads took this path). */
  public long total() {
    return total.get();
  }

  /**
   * Shows them as {@code discs_image_upload_lent_bytes} and {@code
   * discs_image_upload_tapped_bytes_total} (names of their own: Prometheus refuses a counter whose
   * family shares a gauge's name); registering twice in one registry keeps the first.
   */
  public void registerIn(MeterRegistry registry) {
    Gauge.builder("discs.image.upload.lent.bytes", this, LentBytes::outstanding)
        .description(
            "upload bytes lent from the network's buffer pool and not given back yet (near zero"
                + " once uploads end: growth while idle is a leak)")
        .baseUnit("bytes")
        .register(registry);
    FunctionCounter.builder("discs.image.upload.tapped", this, LentBytes::total)
        .description("upload bytes taken off the connection and lent since the start")
        .baseUnit("bytes")
        .register(registry);
  }
}
