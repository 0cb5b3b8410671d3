package io.discs.targets.chap;

import java.security.SecureRandom;

/**
 * Fresh CHAP credentials per target: 16 characters (Windows wants 12 to 16) from an alphabet with
 * no look-alikes, from {@link SecureRandom}; a mutual secret never equals the initiator's.
 */
public final class ChapSecrets {
  private static final String ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  private static final String USER_ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789";
  private static final int SECRET_LENGTH = 16;

  private final SecureRandom random = new SecureRandom();

  public ChapCredentials initiatorChap() {
    return new ChapCredentials(
        "discs-" + random(USER_ALPHABET, 10), random(ALPHABET, SECRET_LENGTH));
  }

  public ChapCredentials mutualChap(ChapCredentials initiator) {
    ChapCredentials mutual;
    do {
      mutual =
          new ChapCredentials(
              "discs-t-" + random(USER_ALPHABET, 10), random(ALPHABET, SECRET_LENGTH));
    } while (mutual.secret().equals(initiator.secret()));
    return mutual;
  }

  private String random(String alphabet, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }
}
