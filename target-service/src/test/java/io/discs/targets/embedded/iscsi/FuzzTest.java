package io.discs.targets.embedded.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.platform.config.HostPort;
import io.discs.platform.targets.DeviceType;
import io.discs.targets.backend.TargetSpec;
import io.discs.targets.chap.ChapCredentials;
import io.discs.testing.FreePorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100,000 random, mutated, truncated and oversized PDUs from four threads while a good session
 * reads the whole image: the target must stay up, keep the good session's bytes intact, and still
 * log a new session in afterwards. In the JVM with {@link BlockingInitiator}: no tool needed.
 */
class FuzzTest {
  private static final String TARGET = "iqn.2026-01.io.discs:fuzz.target";
  private static final String INITIATOR = "iqn.2026-01.test:good-initiator";
  private static final ChapCredentials CHAP = new ChapCredentials("fuzzuser", "fuzz-secret-1234");
  private static final int IMAGE_BYTES = 8 << 20;

  @TempDir Path dir;
  private Vertx vertx;
  private EmbeddedBackend backend;
  private int port;
  private byte[] image;

  @BeforeEach
  void start() throws Exception {
    image = new byte[IMAGE_BYTES];
    new Random(42).nextBytes(image);
    Path file = Files.write(dir.resolve("image"), image);
    vertx = Vertx.vertx();
    port = FreePorts.next();
    HostPort listen = new HostPort("127.0.0.1", port);
    backend = new EmbeddedBackend(vertx, listen, listen, new SimpleMeterRegistry());
    backend.start().await(10, TimeUnit.SECONDS);
    backend
        .create(new TargetSpec(TARGET, file, DeviceType.DISK, INITIATOR, CHAP, null))
        .await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    backend.stop().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void survivesAHundredThousandBadPdusWhileAGoodSessionReads() throws Exception {
    AtomicLong sent = new AtomicLong();
    List<Thread> fuzzers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      long seed = t;
      Thread fuzzer = new Thread(() -> fuzz(new Random(seed), sent, 25_000));
      fuzzers.add(fuzzer);
      fuzzer.start();
    }
    byte[] read;
    try (BlockingInitiator good =
        BlockingInitiator.login("127.0.0.1", port, TARGET, INITIATOR, CHAP)) {
      read = readAll(good);
    }
    for (Thread fuzzer : fuzzers) {
      fuzzer.join(TimeUnit.MINUTES.toMillis(3));
    }

    assertThat(sent.get()).isGreaterThanOrEqualTo(100_000);
    assertThat(MessageDigest.isEqual(sha256(read), sha256(image)))
        .as("the good session read the image intact")
        .isTrue();
    try (BlockingInitiator after =
        BlockingInitiator.login("127.0.0.1", port, TARGET, INITIATOR, CHAP)) {
      assertThat(after.read(0, 8)).isEqualTo(Arrays.copyOf(image, 4096));
    }
  }

  private static byte[] readAll(BlockingInitiator session) throws IOException {
    byte[] all = new byte[IMAGE_BYTES];
    int blocks = 128; // 64 KiB per READ
    for (int lba = 0; lba < IMAGE_BYTES / 512; lba += blocks) {
      byte[] chunk = session.read(lba, blocks);
      System.arraycopy(chunk, 0, all, lba * 512, chunk.length);
    }
    return all;
  }

  /**
   * Connections that half the time first log in to a discovery session properly, then send PDUs
   * that are random, mutated from valid ones, truncated or oversized, until {@code count} are out.
   */
  private void fuzz(Random random, AtomicLong sent, int count) {
    int mine = 0;
    while (mine < count) {
      // From another loopback address than the good session's: the target caps connections that
      // have not logged in per address, and a flood must not lock out somebody else's login.
      try (Socket socket = new Socket("127.0.0.1", port, InetAddress.getByName("127.0.0.2"), 0)) {
        socket.setSoTimeout(2_000);
        OutputStream out = socket.getOutputStream();
        if (random.nextBoolean()) {
          out.write(discoveryLogin());
        }
        for (int i = 0; i < 50 && mine < count; i++, mine++) {
          out.write(randomPdu(random));
          sent.incrementAndGet();
        }
        out.flush();
      } catch (IOException closedByTheTarget) {
        // The target may close a connection that misbehaves; the next one starts fresh.
        mine++;
        sent.incrementAndGet();
      }
    }
  }

  private static byte[] discoveryLogin() {
    byte[] data =
        "InitiatorName=iqn.2026-01.test.discs:fuzzer\0SessionType=Discovery\0AuthMethod=None\0"
            .getBytes(StandardCharsets.US_ASCII);
    int padded = (data.length + 3) & ~3;
    ByteBuffer pdu = ByteBuffer.allocate(48 + padded);
    pdu.put(0, (byte) 0x43); // immediate Login Request
    pdu.put(1, (byte) 0x83); // transit from security negotiation (0) straight to full feature (3)
    pdu.putInt(4, data.length);
    pdu.put(8, (byte) 0x40);
    pdu.position(48);
    pdu.put(data);
    return pdu.array();
  }

  private static byte[] randomPdu(Random random) {
    int kind = random.nextInt(4);
    int dataLength = kind == 3 ? 16_000_000 + random.nextInt(1000) : random.nextInt(600);
    int[] opcodes = {
      0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x10, 0x1c, 0x3f, random.nextInt(64)
    };
    byte[] header = new byte[48];
    random.nextBytes(header);
    header[0] = (byte) opcodes[random.nextInt(opcodes.length)];
    header[4] = (byte) (kind == 2 ? random.nextInt(256) : 0);
    header[5] = (byte) (dataLength >>> 16);
    header[6] = (byte) (dataLength >>> 8);
    header[7] = (byte) dataLength;
    int body = kind == 3 ? 64 : (dataLength + 3) & ~3;
    byte[] pdu = new byte[48 + (kind == 1 ? random.nextInt(48) : body)];
    System.arraycopy(header, 0, pdu, 0, 48);
    for (int i = 48; i < pdu.length; i++) {
      pdu[i] = (byte) (random.nextBoolean() ? 'A' + random.nextInt(26) : random.nextInt(256));
    }
    return kind == 1 ? Arrays.copyOf(pdu, 48 + random.nextInt(48)) : pdu;
  }

  private static byte[] sha256(byte[] bytes) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }
}
