package io.discs.targets.embedded.iscsi;

import io.discs.targets.chap.ChapExchange;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The login phase of one connection, without a socket (RFC 7143 section 6): each Login Request in,
 * one {@link Step} out — the keys to answer and whether full feature phase begins, or a refusal
 * with its status. Normal sessions always need CHAP; a discovery session may go without, and
 * open-iscsi's default discovery, which skips the security stage, is accepted as tgt and LIO do
 * (SendTargets then lists only the initiator's own targets).
 */
final class LoginEngine {
  private static final int SECURITY = 0;
  private static final int OPERATIONAL = 1;
  private static final int FULL_FEATURE = 3;

  /** The Login Response's T bit: the target moves to the next stage. */
  private static final int TRANSIT = 0x80;

  /** What to answer a Login Request with. */
  sealed interface Step permits Answer, Refusal {}

  /**
   * Continue (or finish) the login.
   *
   * @param flags the Login Response's T, CSG and NSG bits
   * @param fullFeature whether the connection is now in full feature phase
   */
  record Answer(int flags, Map<String, String> keys, boolean fullFeature) implements Step {}

  /**
   * End the login with a Login Response of this status (RFC 7143 section 11.13.5).
   *
   * @param reason a short name for logs and the refusal metric
   * @param counted whether it is a refusal of the initiator (counted), not a malformed request
   */
  record Refusal(String reason, LoginStatus status, boolean counted) implements Step {}

  private final Function<String, Optional<EmbeddedTarget>> targets;
  private final Function<String, List<String>> visibleTo;
  private final ChapExchange chap = new ChapExchange();
  private final OperationalKeys operational = new OperationalKeys();
  private String initiatorName;
  private boolean discovery;
  private EmbeddedTarget target;
  private boolean authenticated;
  private boolean chapUsed;

  /**
   * @param targets a target by name
   * @param visibleTo the names of the targets whose ACL names an initiator
   */
  LoginEngine(
      Function<String, Optional<EmbeddedTarget>> targets,
      Function<String, List<String>> visibleTo) {
    this.targets = targets;
    this.visibleTo = visibleTo;
  }

  Step next(Pdu pdu) {
    if (pdu.loginContinues()) {
      return malformed("text continuation in login is not supported");
    }
    Map<String, String> keys;
    try {
      keys = TextKeys.parse(pdu.data());
    } catch (IllegalArgumentException e) {
      return malformed(e.getMessage());
    }
    int csg = pdu.currentStage();
    int nsg = pdu.nextStage();
    Map<String, String> answer = new LinkedHashMap<>();
    if (initiatorName == null) {
      Optional<Refusal> refused = firstRequest(pdu.tsih(), keys, answer);
      if (refused.isPresent()) {
        return refused.get();
      }
    }
    if (csg == SECURITY) {
      Optional<Refusal> refused = security(pdu, keys, answer);
      if (refused.isPresent()) {
        return refused.get();
      }
    } else if (csg == OPERATIONAL) {
      if (!authenticated && discovery) {
        authenticated = true; // open-iscsi's default discovery: see the class comment
      }
      if (!authenticated) {
        return refused("auth.required", LoginStatus.AUTHENTICATION_FAILURE);
      }
      operational.answer(keys, answer);
    } else {
      return malformed("login stage " + csg);
    }
    boolean moving =
        pdu.finalOrTransit()
            && authenticated
            && (nsg == OPERATIONAL || nsg == FULL_FEATURE)
            && nsg > csg;
    int flags = (moving ? TRANSIT : 0) | (csg << 2) | (moving ? nsg : 0);
    return new Answer(flags, answer, moving && nsg == FULL_FEATURE);
  }

  private Optional<Refusal> firstRequest(
      int tsih, Map<String, String> keys, Map<String, String> answer) {
    initiatorName = keys.get("InitiatorName");
    if (initiatorName == null || initiatorName.isEmpty()) {
      return Optional.of(refused("missing.initiator.name", LoginStatus.MISSING_PARAMETER));
    }
    discovery = "Discovery".equals(keys.get("SessionType"));
    if (!discovery) {
      String targetName = keys.get("TargetName");
      if (targetName == null) {
        return Optional.of(refused("missing.target.name", LoginStatus.MISSING_PARAMETER));
      }
      Optional<EmbeddedTarget> found = targets.apply(targetName);
      if (found.isEmpty()) {
        return Optional.of(refused("unknown.target", LoginStatus.NOT_FOUND));
      }
      if (!found.get().admits(initiatorName)) {
        return Optional.of(refused("initiator.not.allowed", LoginStatus.AUTHORIZATION_FAILURE));
      }
      target = found.get();
    }
    if (tsih != 0) {
      // A connection for an existing session: sessions have one connection (MaxConnections=1) and
      // no connection recovery (ErrorRecoveryLevel=0), so there is never room for it.
      boolean live = target != null && target.hasSession(tsih);
      return Optional.of(
          refused(
              live ? "session.has.connection" : "session.not.found",
              live ? LoginStatus.TOO_MANY_CONNECTIONS : LoginStatus.SESSION_DOES_NOT_EXIST));
    }
    answer.put("TargetPortalGroupTag", "1");
    return Optional.empty();
  }

  /** Security stage: CHAP for normal sessions; discovery may go without. */
  private Optional<Refusal> security(
      Pdu pdu, Map<String, String> keys, Map<String, String> answer) {
    String methods = keys.get("AuthMethod");
    if (methods != null) {
      List<String> offered = Arrays.asList(methods.split(","));
      if (discovery && offered.contains("None")) {
        answer.put("AuthMethod", "None");
        authenticated = true;
      } else if (offered.contains("CHAP")) {
        answer.put("AuthMethod", "CHAP");
      } else {
        return Optional.of(refused("auth.method.refused", LoginStatus.AUTHENTICATION_FAILURE));
      }
    }
    if (keys.containsKey("CHAP_A")) {
      if (!Arrays.asList(keys.get("CHAP_A").split(",")).contains("5")) {
        return Optional.of(refused("chap.algorithm", LoginStatus.AUTHENTICATION_FAILURE));
      }
      chap.challenge(answer);
    }
    if (keys.containsKey("CHAP_N") || keys.containsKey("CHAP_R")) {
      Optional<EmbeddedTarget> credentials =
          discovery ? visibleTargetOfUser(keys.get("CHAP_N")) : Optional.ofNullable(target);
      if (credentials.isEmpty()
          || !chap.verify(
              keys,
              credentials.get().spec().chap(),
              credentials.get().spec().mutualChap(),
              answer)) {
        return Optional.of(refused("chap.failed", LoginStatus.AUTHENTICATION_FAILURE));
      }
      authenticated = true;
      chapUsed = true;
    }
    if (methods == null
        && !authenticated
        && !keys.containsKey("CHAP_A")
        && !keys.containsKey("CHAP_N")
        && pdu.finalOrTransit()) {
      // A login that tries to leave the security stage without it.
      return Optional.of(refused("auth.required", LoginStatus.AUTHENTICATION_FAILURE));
    }
    return Optional.empty();
  }

  /**
   * A discovery session has no target of its own: with CHAP, the credentials of any target this
   * initiator may log in to are good for listing them, as with tgt and LIO.
   */
  private Optional<EmbeddedTarget> visibleTargetOfUser(String user) {
    return visibleTo.apply(initiatorName).stream()
        .map(targets)
        .flatMap(Optional::stream)
        .filter(t -> t.spec().chap().user().equals(user))
        .findFirst();
  }

  /** An initiator error (status class 2) this target counts: refused, not misunderstood. */
  private static Refusal refused(String reason, LoginStatus status) {
    return new Refusal(reason, status, true);
  }

  private static Refusal malformed(String why) {
    return new Refusal(why, LoginStatus.INITIATOR_ERROR, false);
  }

  String initiatorName() {
    return initiatorName;
  }

  boolean discovery() {
    return discovery;
  }

  /** The target of a normal session; null for discovery. */
  EmbeddedTarget target() {
    return target;
  }

  boolean chapUsed() {
    return chapUsed;
  }

  OperationalKeys operational() {
    return operational;
  }
}
