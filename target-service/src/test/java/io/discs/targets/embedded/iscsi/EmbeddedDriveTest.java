package io.discs.targets.embedded.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.platform.config.HostPort;
import io.discs.platform.targets.DeviceType;
import io.discs.targets.backend.DiscChanger;
import io.discs.targets.backend.TargetSpec;
import io.discs.targets.chap.ChapCredentials;
import io.discs.testing.FreePorts;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A drive target of the embedded backend, through iSCSI: one login sees disc A, no disc, and disc
 * B, each change announced by unit attentions and media events, and the lock honoured.
 */
class EmbeddedDriveTest {
  private static final String TARGET = "iqn.2026-12.io.discs:drive.one";
  private static final String INITIATOR = "iqn.2026-12.test:drive-user";
  private static final ChapCredentials CHAP =
      new ChapCredentials("driveuser", "drive-secret-12345");
  private static final int GOOD = 0;
  private static final int CHECK_CONDITION = 2;
  private static final int NOT_READY_NO_MEDIUM = 0x023a00;
  private static final int ATTENTION_NO_MEDIUM = 0x063a00;
  private static final int ATTENTION_CHANGED = 0x062800;
  private static final int REMOVAL_PREVENTED = 0x055302;

  @TempDir Path dir;
  private Vertx vertx;
  private EmbeddedBackend backend;
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private int port;
  private Path discA;
  private Path discB;

  @BeforeEach
  void start() throws Exception {
    discA = disc("a.iso", 1 << 20, 1);
    discB = disc("b.iso", 2 << 20, 2);
    vertx = Vertx.vertx();
    port = FreePorts.next();
    HostPort listen = new HostPort("127.0.0.1", port);
    backend = new EmbeddedBackend(vertx, listen, listen, metrics);
    backend.start().await(10, TimeUnit.SECONDS);
    backend
        .createDrive(new TargetSpec(TARGET, discA, DeviceType.CDROM, INITIATOR, CHAP, null))
        .await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    backend.stop().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void oneLoginSeesDiscsComeAndGo() throws Exception {
    try (BlockingInitiator session =
        BlockingInitiator.login("127.0.0.1", port, TARGET, INITIATOR, CHAP)) {
      assertThat(testUnitReady(session)).isEqualTo(NOT_READY_NO_MEDIUM);

      backend.insert(TARGET, discA).await(10, TimeUnit.SECONDS);

      assertThat(testUnitReady(session)).isEqualTo(ATTENTION_NO_MEDIUM);
      assertThat(testUnitReady(session)).isEqualTo(ATTENTION_CHANGED);
      assertThat(testUnitReady(session)).isEqualTo(GOOD);
      assertThat(lastBlock(session)).isEqualTo((1 << 20) / 2048 - 1);
      assertThat(read(session, 3)).isEqualTo(block(discA, 3));
      assertThat(mediaEvent(session)).containsExactly(2, 0x02); // NewMedia, present

      backend.insert(TARGET, discB).await(10, TimeUnit.SECONDS);

      assertThat(testUnitReady(session)).isEqualTo(ATTENTION_NO_MEDIUM);
      assertThat(testUnitReady(session)).isEqualTo(ATTENTION_CHANGED);
      assertThat(lastBlock(session)).isEqualTo((2 << 20) / 2048 - 1);
      assertThat(read(session, 700)).isEqualTo(block(discB, 700));
      awaitOpenImages(1); // A's file was let go

      assertThat(backend.eject(TARGET, false).await(10, TimeUnit.SECONDS))
          .isEqualTo(DiscChanger.Ejection.EJECTED);
      assertThat(testUnitReady(session)).isEqualTo(ATTENTION_NO_MEDIUM);
      assertThat(testUnitReady(session)).isEqualTo(NOT_READY_NO_MEDIUM);
      awaitOpenImages(0);
    }
  }

  @Test
  void aDiscTheInitiatorEjectsWaitsInTheTrayUntilTakenOut() throws Exception {
    backend.insert(TARGET, discA).await(10, TimeUnit.SECONDS);
    awaitOpenImages(1);
    try (BlockingInitiator session =
        BlockingInitiator.login("127.0.0.1", port, TARGET, INITIATOR, CHAP)) {
      assertThat(session.command(cdb(0x1b, 0, 0, 0, 0x02, 0), 0).status()).isEqualTo(GOOD);

      // Its own eject is a change like any other (QEMU tells the ejecting initiator too).
      assertThat(testUnitReady(session)).isEqualTo(ATTENTION_NO_MEDIUM);
      assertThat(testUnitReady(session)).isEqualTo(NOT_READY_NO_MEDIUM);
      awaitOpenImages(1); // in the open tray

      assertThat(backend.eject(TARGET, false).await(10, TimeUnit.SECONDS))
          .isEqualTo(DiscChanger.Ejection.ALREADY_EMPTY);
      awaitOpenImages(0);
    }
  }

  private void awaitOpenImages(int count) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> metrics.get("discs.embedded.images.open").gauge().value() == count);
  }

  @Test
  void aLockedDiscStaysUntilTheInitiatorLetsGoOrTheEjectIsForced() throws Exception {
    backend.insert(TARGET, discA).await(10, TimeUnit.SECONDS);
    try (BlockingInitiator session =
        BlockingInitiator.login("127.0.0.1", port, TARGET, INITIATOR, CHAP)) {
      assertThat(session.command(cdb(0x1e, 0, 0, 0, 1, 0), 0).status()).isEqualTo(GOOD);

      assertThat(backend.eject(TARGET, false).await(10, TimeUnit.SECONDS))
          .isEqualTo(DiscChanger.Ejection.REFUSED_LOCKED);
      assertThat(mediaEvent(session)).as("NewMedia first").containsExactly(2, 0x02);
      assertThat(mediaEvent(session)).as("then EjectRequest").containsExactly(1, 0x02);
      assertThat(session.command(cdb(0x1b, 0, 0, 0, 0x02, 0), 0).senseCode())
          .as("START STOP UNIT eject while locked")
          .isEqualTo(REMOVAL_PREVENTED);
      assertThat(read(session, 1)).isEqualTo(block(discA, 1));

      assertThat(backend.eject(TARGET, true).await(10, TimeUnit.SECONDS))
          .isEqualTo(DiscChanger.Ejection.EJECTED);
      assertThat(testUnitReady(session)).isEqualTo(ATTENTION_NO_MEDIUM);
      assertThat(testUnitReady(session)).isEqualTo(NOT_READY_NO_MEDIUM);
    }
  }

  private static int testUnitReady(BlockingInitiator session) throws Exception {
    BlockingInitiator.Outcome outcome = session.command(new byte[6], 0);
    return outcome.status() == CHECK_CONDITION ? outcome.senseCode() : outcome.status();
  }

  private static int lastBlock(BlockingInitiator session) throws Exception {
    BlockingInitiator.Outcome outcome = session.command(cdb(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0), 8);
    assertThat(outcome.status()).isEqualTo(GOOD);
    return ByteBuffer.wrap(outcome.data()).getInt(0);
  }

  private static byte[] read(BlockingInitiator session, int lba) throws Exception {
    byte[] cdb = cdb(0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0);
    ByteBuffer.wrap(cdb, 2, 4).putInt(lba);
    BlockingInitiator.Outcome outcome = session.command(cdb, 2048);
    assertThat(outcome.status()).isEqualTo(GOOD);
    return outcome.data();
  }

  private static int[] mediaEvent(BlockingInitiator session) throws Exception {
    BlockingInitiator.Outcome outcome =
        session.command(cdb(0x4a, 0x01, 0, 0, 0x10, 0, 0, 0, 8, 0), 8);
    assertThat(outcome.status()).isEqualTo(GOOD);
    return new int[] {outcome.data()[4] & 0x0f, outcome.data()[5] & 0xff};
  }

  private Path disc(String name, int size, long seed) throws Exception {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return Files.write(dir.resolve(name), bytes);
  }

  private static byte[] block(Path disc, int lba) throws Exception {
    byte[] all = Files.readAllBytes(disc);
    return Arrays.copyOfRange(all, lba * 2048, (lba + 1) * 2048);
  }

  private static byte[] cdb(int... values) {
    byte[] cdb = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      cdb[i] = (byte) values[i];
    }
    return cdb;
  }
}
