package io.discs.targets.chap;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * CHAP with MD5 (RFC 1994, as RFC 7143 section 12.1.3 uses it): response = MD5(id ‖ secret ‖
 * challenge).
 */
public final class Md5Chap {
  public static final int CHALLENGE_BYTES = 16;
  private static final int MAX_CHALLENGE_BYTES = 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Md5Chap() {}

  public static byte[] challenge() {
    byte[] challenge = new byte[CHALLENGE_BYTES];
    RANDOM.nextBytes(challenge);
    return challenge;
  }

  public static int identifier() {
    return RANDOM.nextInt(256);
  }

  public static byte[] response(int identifier, String secret, byte[] challenge) {
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      md5.update((byte) identifier);
      md5.update(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      md5.update(challenge);
      return md5.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String hex(byte[] bytes) {
    return "0x" + HexFormat.of().formatHex(bytes);
  }

  /** Accepts {@code 0x} hex and {@code 0b} base64, the two encodings RFC 7143 allows. */
  public static byte[] decode(String value) {
    if (value == null) {
      throw new IllegalArgumentException("missing binary value");
    }
    byte[] bytes;
    if (value.startsWith("0x") || value.startsWith("0X")) {
      String hex = value.substring(2);
      bytes = HexFormat.of().parseHex(hex.length() % 2 == 1 ? "0" + hex : hex);
    } else if (value.startsWith("0b") || value.startsWith("0B")) {
      bytes = Base64.getDecoder().decode(value.substring(2));
    } else {
      throw new IllegalArgumentException("binary values start with 0x or 0b");
    }
    if (bytes.length == 0 || bytes.length > MAX_CHALLENGE_BYTES) {
      throw new IllegalArgumentException("binary value of unacceptable length");
    }
    return bytes;
  }
}
