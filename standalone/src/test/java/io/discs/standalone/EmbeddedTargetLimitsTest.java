package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.testing.DiscImages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded target against initiators that misbehave: one that asks for much and reads nothing,
 * connections that never log in, a Login PDU after login, logins that come and go, and stock
 * open-iscsi's discovery without CHAP.
 */
class EmbeddedTargetLimitsTest {
  private static final String INITIATOR = "iqn.2026-01.test.discs:limits";
  private static TestSystem system;
  private static String user;
  private static JsonObject session;

  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start(Map.of());
    String admin = system.adminToken();
    system.createUser(admin, "lena", "limits-password-1", "user");
    Path iso = DiscImages.iso9660(dir.resolve("limits.iso"), "LIMITS", 48 << 20, false, 53);
    JsonObject image = system.uploadImage(admin, "limits.iso", iso);
    user = system.token("lena", "limits-password-1");
    session =
        system
            .client
            .post("/api/v1/sessions")
            .bearerTokenAuthentication(user)
            .sendJsonObject(
                new JsonObject()
                    .put("imageId", image.getString("id"))
                    .put("initiatorIqn", INITIATOR))
            .await(30, TimeUnit.SECONDS)
            .bodyAsJsonObject();
  }

  @AfterAll
  static void stop() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void anInitiatorThatAsksForMuchAndReadsNothingGetsOnlyABoundedAmountReadForIt() throws Exception {
    double before = bytesReadFromImages();
    try (RawInitiator initiator = login()) {
      // 40 immediate READ(10)s of 8 MiB (320 MiB) in one go, and never a byte read back: what
      // the target reads for it waits in memory until the socket takes it, so it must stop.
      initiator.read10(40, 16_384, true);
      await().atMost(Duration.ofSeconds(10)).until(() -> bytesReadFromImages() > before);
      // Then it stops: for three seconds, what was read for it stays under 64 MiB.
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(bytesReadFromImages() - before)
                      .as("bytes read from the image for a client that reads nothing")
                      .isLessThan(64.0 * (1 << 20)));
    }
  }

  @Test
  void connectionsThatNeverLogInAreCappedPerAddressAndClosedAfterTheLoginTimeout()
      throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 20; i++) {
        Socket socket = new Socket("127.0.0.1", port());
        socket.setSoTimeout(200);
        sockets.add(socket);
      }
      assertThat(sockets.stream().filter(EmbeddedTargetLimitsTest::closedByTarget).count())
          .as("closed at once beyond %d per address", 16)
          .isEqualTo(20 - 16);

      // The rest are closed by the 15 s login timeout: not much sooner, not much later.
      await()
          .atLeast(Duration.ofSeconds(10))
          .atMost(Duration.ofSeconds(25))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> sockets.stream().filter(EmbeddedTargetLimitsTest::closedByTarget).count(),
              closed -> closed == 20);
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  private static boolean closedByTarget(Socket socket) {
    try {
      return socket.getInputStream().read() < 0;
    } catch (java.net.SocketTimeoutException stillOpen) {
      return false;
    } catch (java.io.IOException reset) {
      return true;
    }
  }

  @Test
  void aSessionsChapLogsInTwiceAtMostAndItsOwnIsidReplacesItsSession() throws Exception {
    try (RawInitiator first = login(1);
        RawInitiator second = login(2);
        RawInitiator third = new RawInitiator("127.0.0.1", port(), INITIATOR).isid(3)) {
      RawInitiator.Response refused = third.loginWithChap(session);
      assertThat(refused.statusClass()).as("initiator error").isEqualTo(2);
      assertThat(refused.header()[37]).as("too many connections").isEqualTo((byte) 0x06);
      assertThat(third.closedByTarget()).isTrue();

      try (RawInitiator again = login(1)) {
        assertThat(first.closedByTarget())
            .as("a login under a live session's ISID reinstates it: the old connection ends")
            .isTrue();
        again.read10(1, 8, false);
        assertThat(again.readUntilStatus().header()[3]).as("GOOD").isZero();
        second.read10(1, 8, false);
        assertThat(second.readUntilStatus().header()[3]).isZero();
      }
    }
  }

  @Test
  void aRead16WhoseEndOverflowsIsRefusedAndTheConnectionKeepsAnswering() throws Exception {
    try (RawInitiator initiator = login()) {
      initiator.read16(Long.MAX_VALUE, 1);
      RawInitiator.Response refused = initiator.readUntilStatus();
      int answered = 0;
      for (int i = 0; i < 3; i++) {
        initiator.read10(1, 8, false);
        answered += initiator.readUntilStatus().header()[3] == 0 ? 1 : 0;
      }
      io.discs.testing.security.SecurityReport.record(
          "Smaller: a READ(16) whose LBA + length overflows stays counted",
          "READ(16) at LBA 2^63-1 for 1 block, then three READ(10)s",
          "CHECK CONDITION, then every read answered",
          "status 0x%02x, then %d of 3 answered".formatted(refused.header()[3], answered));
      assertThat(refused.header()[3]).as("CHECK CONDITION").isEqualTo((byte) 0x02);
      assertThat(answered).as("reads answered after it").isEqualTo(3);
    }
  }

  @Test
  void aLoginPduInFullFeaturePhaseIsAProtocolErrorThatEndsTheConnection() throws Exception {
    try (RawInitiator initiator = login()) {
      RawInitiator.Response reject =
          initiator.login(0, 1, false, Map.of("InitiatorName", INITIATOR));
      assertThat(reject.opcode()).isEqualTo(RawInitiator.REJECT);
      assertThat(reject.header()[2]).isEqualTo((byte) 0x04); // protocol error
      assertThat(initiator.closedByTarget()).isTrue();
    }
  }

  @Test
  void loginsThatEndLeaveNoConnectionBehind() throws Exception {
    for (int i = 0; i < 3; i++) {
      try (RawInitiator initiator = login()) {
        assertThat(connections()).hasSize(1);
        initiator.logout();
        initiator.read();
      }
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> connections().isEmpty());
  }

  @Test
  void stockOpenIscsiDiscoveryWithoutChapListsOnlyTheInitiatorsOwnTarget() throws Exception {
    String iqn = session.getJsonObject("target").getString("iqn");
    try (RawInitiator mine = new RawInitiator("127.0.0.1", port(), INITIATOR)) {
      assertThat(mine.discoveryWithoutChap().statusClass()).isZero();
      mine.sendTargets();
      assertThat(mine.read().keys().get("TargetName")).isEqualTo(iqn);
    }
    try (RawInitiator stranger =
        new RawInitiator("127.0.0.1", port(), "iqn.2026-01.test.discs:stranger")) {
      assertThat(stranger.discoveryWithoutChap().statusClass()).isZero();
      stranger.sendTargets();
      assertThat(stranger.read().keys()).doesNotContainKey("TargetName");
    }
  }

  private static RawInitiator login() throws Exception {
    return login(7);
  }

  private static RawInitiator login(int isid) throws Exception {
    RawInitiator initiator = new RawInitiator("127.0.0.1", port(), INITIATOR).isid(isid);
    RawInitiator.Response done = initiator.loginWithChap(session);
    assertThat(done.statusClass()).isZero();
    assertThat(done.header()[1] & 0x03).isEqualTo(3); // full feature phase
    return initiator;
  }

  private static JsonArray connections() throws Exception {
    return system.get("/api/v1/sessions", user).bodyAsJsonObject().getJsonArray("items").stream()
        .map(JsonObject.class::cast)
        .filter(s -> s.getString("id").equals(session.getString("id")))
        .findFirst()
        .orElseThrow()
        .getJsonArray("connections");
  }

  private static int port() {
    return system.config.targets().listen().port();
  }

  private static double bytesReadFromImages() throws Exception {
    String metrics =
        system.client.get("/metrics").send().await(10, TimeUnit.SECONDS).bodyAsString();
    return metrics
        .lines()
        .filter(l -> l.startsWith("discs_embedded_bytes_read_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
