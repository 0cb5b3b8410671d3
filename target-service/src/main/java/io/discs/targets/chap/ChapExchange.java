package io.discs.targets.chap;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;

/**
 * The target's side of one CHAP exchange in a login (RFC 7143 section 12.1.3): it issues a
 * challenge, checks the initiator's one response to it, and for mutual CHAP answers the initiator's
 * challenge, unless that challenge is our own sent back (a reflection, which would hand an attacker
 * our response to replay).
 */
public final class ChapExchange {
  private int identifier = -1;
  private byte[] challenge;

  /** The keys that carry our challenge: CHAP_A (MD5), CHAP_I, CHAP_C. */
  public void challenge(Map<String, String> answer) {
    identifier = Md5Chap.identifier();
    challenge = Md5Chap.challenge();
    answer.put("CHAP_A", "5");
    answer.put("CHAP_I", String.valueOf(identifier));
    answer.put("CHAP_C", Md5Chap.hex(challenge));
  }

  /**
   * Whether {@code offered} proves the secret of {@code credentials}; for mutual CHAP, also puts
   * our response into {@code answer}. One response per challenge: a second try needs a new login.
   */
  public boolean verify(
      Map<String, String> offered,
      ChapCredentials credentials,
      ChapCredentials mutual,
      Map<String, String> answer) {
    if (challenge == null) {
      return false;
    }
    byte[] ours = challenge;
    challenge = null;
    try {
      byte[] expected = Md5Chap.response(identifier, credentials.secret(), ours);
      byte[] given = Md5Chap.decode(offered.get("CHAP_R"));
      if (!credentials.user().equals(offered.get("CHAP_N"))
          || !MessageDigest.isEqual(expected, given)) {
        return false;
      }
      if (!offered.containsKey("CHAP_I") && !offered.containsKey("CHAP_C")) {
        return true;
      }
      if (mutual == null) {
        return false; // the initiator wants mutual CHAP, which this target was not given
      }
      int theirIdentifier = Integer.parseInt(offered.get("CHAP_I"));
      byte[] theirChallenge = Md5Chap.decode(offered.get("CHAP_C"));
      if (theirIdentifier < 0 || theirIdentifier > 255 || Arrays.equals(theirChallenge, ours)) {
        return false;
      }
      answer.put("CHAP_N", mutual.user());
      answer.put(
          "CHAP_R",
          Md5Chap.hex(Md5Chap.response(theirIdentifier, mutual.secret(), theirChallenge)));
      return true;
    } catch (IllegalArgumentException e) {
      return false; // NumberFormatException included: a malformed key is a failed proof
    }
  }
}
