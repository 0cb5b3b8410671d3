package io.discs.targets.embedded.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.platform.targets.DeviceType;
import io.discs.targets.backend.TargetSpec;
import io.discs.targets.chap.ChapCredentials;
import io.discs.targets.chap.Md5Chap;
import io.discs.targets.embedded.scsi.ScsiDevice;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Login vectors without a socket: CHAP, mutual CHAP, discovery as Linux does it, refusals. */
class LoginEngineTest {
  private static final String TARGET = "iqn.2026-01.io.discs:test.target";
  private static final String INITIATOR = "iqn.2026-01.test:initiator";
  private static final ChapCredentials CHAP = new ChapCredentials("user1", "secret-secret1");
  private static final ChapCredentials MUTUAL = new ChapCredentials("target1", "mutual-secret1");

  @Test
  void aNormalSessionLogsInWithChapAndNegotiates() {
    LoginEngine engine = engine(null);
    LoginEngine.Answer first =
        answer(
            engine.next(
                login(
                    0x00,
                    keys(
                        "InitiatorName",
                        INITIATOR,
                        "TargetName",
                        TARGET,
                        "AuthMethod",
                        "CHAP,None"))));
    assertThat(first.keys())
        .containsEntry("AuthMethod", "CHAP")
        .containsEntry("TargetPortalGroupTag", "1");
    assertThat(first.fullFeature()).isFalse();

    Map<String, String> challenge = answer(engine.next(login(0x00, keys("CHAP_A", "5")))).keys();
    assertThat(challenge).containsEntry("CHAP_A", "5").containsKeys("CHAP_I", "CHAP_C");

    LoginEngine.Answer proved =
        answer(
            engine.next(login(0x81, keys("CHAP_N", "user1", "CHAP_R", response(challenge, CHAP)))));
    assertThat(proved.flags()).as("T=1, CSG=0, NSG=1").isEqualTo(0x81);

    LoginEngine.Answer operational =
        answer(
            engine.next(
                login(
                    0x87,
                    keys(
                        "HeaderDigest", "CRC32C,None",
                        "MaxRecvDataSegmentLength", "65536",
                        "MaxBurstLength", "1048576",
                        "ImmediateData", "Yes",
                        "X-com.example.Key", "1",
                        "UnknownKey", "1"))));
    assertThat(operational.fullFeature()).isTrue();
    assertThat(operational.flags()).isEqualTo(0x87);
    assertThat(operational.keys())
        .containsEntry("HeaderDigest", "CRC32C")
        .containsEntry("MaxRecvDataSegmentLength", String.valueOf(OperationalKeys.OUR_MAX_RECV))
        .containsEntry("MaxBurstLength", "1048576")
        .containsEntry("ImmediateData", "Yes")
        .containsEntry("UnknownKey", "NotUnderstood")
        .doesNotContainKey("X-com.example.Key");
    assertThat(engine.operational().headerDigest()).isTrue();
    assertThat(engine.operational().theirMaxRecv()).isEqualTo(65536);
    assertThat(engine.chapUsed()).isTrue();
    assertThat(engine.target()).isNotNull();
  }

  @Test
  void aWrongResponseOrASecondTryIsRefused() {
    LoginEngine engine = engine(null);
    Map<String, String> challenge = challenged(engine, INITIATOR, "TargetName", TARGET);
    assertThat(
            engine.next(
                login(
                    0x81,
                    keys(
                        "CHAP_N",
                        "user1",
                        "CHAP_R",
                        response(challenge, new ChapCredentials("user1", "wrong-guess-12"))))))
        .isEqualTo(refusal("chap.failed", 0x02, 0x01));
    assertThat(
            engine.next(login(0x81, keys("CHAP_N", "user1", "CHAP_R", response(challenge, CHAP)))))
        .as("one response per challenge")
        .isInstanceOf(LoginEngine.Refusal.class);
  }

  @Test
  void mutualChapAnswersTheInitiatorsChallengeButNotAReflectionOfOurs() {
    LoginEngine engine = engine(MUTUAL);
    Map<String, String> challenge = challenged(engine, INITIATOR, "TargetName", TARGET);
    String theirs = "0x00112233445566778899aabbccddeeff";
    Map<String, String> answered =
        answer(
                engine.next(
                    login(
                        0x81,
                        keys(
                            "CHAP_N",
                            "user1",
                            "CHAP_R",
                            response(challenge, CHAP),
                            "CHAP_I",
                            "7",
                            "CHAP_C",
                            theirs))))
            .keys();
    assertThat(answered).containsEntry("CHAP_N", "target1");
    assertThat(answered.get("CHAP_R"))
        .isEqualTo(Md5Chap.hex(Md5Chap.response(7, MUTUAL.secret(), Md5Chap.decode(theirs))));

    LoginEngine reflected = engine(MUTUAL);
    Map<String, String> ours = challenged(reflected, INITIATOR, "TargetName", TARGET);
    assertThat(
            reflected.next(
                login(
                    0x81,
                    keys(
                        "CHAP_N", "user1",
                        "CHAP_R", response(ours, CHAP),
                        "CHAP_I", ours.get("CHAP_I"),
                        "CHAP_C", ours.get("CHAP_C")))))
        .isEqualTo(refusal("chap.failed", 0x02, 0x01));
  }

  @Test
  void openIscsisDefaultDiscoveryStartsInTheOperationalStageWithoutChap() {
    LoginEngine engine = engine(null);
    LoginEngine.Answer answer =
        answer(
            engine.next(
                login(
                    0x87,
                    keys(
                        "InitiatorName",
                        INITIATOR,
                        "SessionType",
                        "Discovery",
                        "HeaderDigest",
                        "None"))));
    assertThat(answer.fullFeature()).isTrue();
    assertThat(engine.discovery()).isTrue();
    assertThat(engine.target()).isNull();
    assertThat(engine.chapUsed()).isFalse();
  }

  @Test
  void discoveryWithChapTakesTheCredentialsOfATargetTheInitiatorMaySee() {
    LoginEngine engine = engine(null);
    Map<String, String> challenge = challenged(engine, INITIATOR, "SessionType", "Discovery");
    LoginEngine.Answer proved =
        answer(
            engine.next(login(0x83, keys("CHAP_N", "user1", "CHAP_R", response(challenge, CHAP)))));
    assertThat(proved.fullFeature()).isTrue();
    assertThat(engine.chapUsed()).isTrue();

    LoginEngine stranger = engine(null);
    Map<String, String> theirs =
        challenged(stranger, "iqn.2026-01.test:stranger", "SessionType", "Discovery");
    assertThat(
            stranger.next(login(0x83, keys("CHAP_N", "user1", "CHAP_R", response(theirs, CHAP)))))
        .as("the credentials of a target whose ACL does not name this initiator")
        .isEqualTo(refusal("chap.failed", 0x02, 0x01));
  }

  @Test
  void aNormalSessionThatSkipsSecurityIsRefused() {
    assertThat(
            engine(null).next(login(0x87, keys("InitiatorName", INITIATOR, "TargetName", TARGET))))
        .isEqualTo(refusal("auth.required", 0x02, 0x01));
    assertThat(
            engine(null).next(login(0x81, keys("InitiatorName", INITIATOR, "TargetName", TARGET))))
        .as("leaving the security stage without authenticating")
        .isEqualTo(refusal("auth.required", 0x02, 0x01));
  }

  @Test
  void namesEveryRefusalOfTheFirstRequest() {
    assertThat(engine(null).next(login(0x00, keys("TargetName", TARGET))))
        .isEqualTo(refusal("missing.initiator.name", 0x02, 0x07));
    assertThat(engine(null).next(login(0x00, keys("InitiatorName", INITIATOR))))
        .isEqualTo(refusal("missing.target.name", 0x02, 0x07));
    assertThat(
            engine(null)
                .next(
                    login(
                        0x00,
                        keys("InitiatorName", INITIATOR, "TargetName", "iqn.2026-01.other:x"))))
        .isEqualTo(refusal("unknown.target", 0x02, 0x03));
    assertThat(
            engine(null)
                .next(
                    login(
                        0x00,
                        keys(
                            "InitiatorName",
                            "iqn.2026-01.test:someone-else",
                            "TargetName",
                            TARGET))))
        .isEqualTo(refusal("initiator.not.allowed", 0x02, 0x02));
    assertThat(
            engine(null)
                .next(
                    login(
                        0x00,
                        keys(
                            "InitiatorName",
                            INITIATOR,
                            "TargetName",
                            TARGET,
                            "AuthMethod",
                            "SRP"))))
        .isEqualTo(refusal("auth.method.refused", 0x02, 0x01));
    assertThat(engine(null).next(login(0x40, keys("InitiatorName", INITIATOR))))
        .as("text continuation")
        .isInstanceOf(LoginEngine.Refusal.class)
        .extracting(step -> ((LoginEngine.Refusal) step).counted())
        .isEqualTo(false);
  }

  @Test
  void aLoginThatAsksToJoinAnExistingSessionIsRefused() {
    Pdu join = login(0x00, keys("InitiatorName", INITIATOR, "TargetName", TARGET));
    join.bhs().setShort(14, (short) 0x1234);
    assertThat(engine(null).next(join))
        .as("MaxConnections=1 and no connection recovery: no session takes a second connection")
        .isEqualTo(refusal("session.not.found", 0x02, 0x0a));

    Pdu discovery = login(0x00, keys("InitiatorName", INITIATOR, "SessionType", "Discovery"));
    discovery.bhs().setShort(14, (short) 7);
    assertThat(engine(null).next(discovery)).isEqualTo(refusal("session.not.found", 0x02, 0x0a));
  }

  /** The first request (CHAP offered), then CHAP_A: answers the target's challenge keys. */
  private static Map<String, String> challenged(
      LoginEngine engine, String initiator, String sessionKey, String sessionValue) {
    answer(
        engine.next(
            login(
                0x00,
                keys("InitiatorName", initiator, sessionKey, sessionValue, "AuthMethod", "CHAP"))));
    return answer(engine.next(login(0x00, keys("CHAP_A", "5")))).keys();
  }

  private static LoginEngine engine(ChapCredentials mutual) {
    TargetSpec spec =
        new TargetSpec(TARGET, Path.of("/nonexistent"), DeviceType.DISK, INITIATOR, CHAP, mutual);
    EmbeddedTarget target =
        new EmbeddedTarget(spec, null, new ScsiDevice(ScsiDevice.Kind.DISK, 1 << 20, "serial", 1L));
    return new LoginEngine(
        name -> name.equals(TARGET) ? Optional.of(target) : Optional.empty(),
        initiator -> initiator.equals(INITIATOR) ? List.of(TARGET) : List.of());
  }

  private static Pdu login(int flags, Map<String, String> keys) {
    byte[] bhs = new byte[48];
    bhs[0] = 0x43;
    bhs[1] = (byte) flags;
    System.arraycopy(HexFormat.of().parseHex("80123456789a"), 0, bhs, 8, 6);
    return new Pdu(Buffer.buffer(bhs), TextKeys.encode(keys));
  }

  private static Map<String, String> keys(String... pairs) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      keys.put(pairs[i], pairs[i + 1]);
    }
    return keys;
  }

  private static LoginEngine.Answer answer(LoginEngine.Step step) {
    assertThat(step).isInstanceOf(LoginEngine.Answer.class);
    return (LoginEngine.Answer) step;
  }

  private static String response(Map<String, String> challenge, ChapCredentials credentials) {
    return Md5Chap.hex(
        Md5Chap.response(
            Integer.parseInt(challenge.get("CHAP_I")),
            credentials.secret(),
            Md5Chap.decode(challenge.get("CHAP_C"))));
  }

  /** A counted refusal by its wire values (Status-Class, Status-Detail), as RFC 7143 names them. */
  private static LoginEngine.Refusal refusal(String reason, int statusClass, int detail) {
    LoginStatus status =
        java.util.Arrays.stream(LoginStatus.values())
            .filter(s -> s.statusClass == statusClass && s.detail == detail)
            .findFirst()
            .orElseThrow();
    return new LoginEngine.Refusal(reason, status, true);
  }
}
