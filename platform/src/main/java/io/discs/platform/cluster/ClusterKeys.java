package io.discs.platform.cluster;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Every key a cluster needs, derived from the one secret its nodes share ({@code
 * DISCS_CLUSTER_SECRET}) with HKDF-SHA256 (RFC 5869), one purpose each: the certificate authority
 * that members' TLS certificates come from, the key that seals callers, the name Hazelcast joins
 * by, the proof an internal listener asks for. The secret itself is never sent anywhere.
 */
public final class ClusterKeys {
  private static final byte[] SALT = "discs cluster keys v1".getBytes(StandardCharsets.US_ASCII);

  private final byte[] pseudoRandomKey;

  private ClusterKeys(byte[] pseudoRandomKey) {
    this.pseudoRandomKey = pseudoRandomKey;
  }

  public static ClusterKeys fromSecret(String secret) {
    return new ClusterKeys(hmac(SALT, secret.getBytes(StandardCharsets.UTF_8)));
  }

  /** {@code length} bytes for {@code purpose}; the same on every node that has the secret. */
  public byte[] derive(String purpose, int length) {
    byte[] info = purpose.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream(length + 32);
    byte[] previous = new byte[0];
    for (int counter = 1; out.size() < length; counter++) {
      byte[] input = new byte[previous.length + info.length + 1];
      System.arraycopy(previous, 0, input, 0, previous.length);
      System.arraycopy(info, 0, input, previous.length, info.length);
      input[input.length - 1] = (byte) counter;
      previous = hmac(pseudoRandomKey, input);
      out.writeBytes(previous);
    }
    byte[] all = out.toByteArray();
    return java.util.Arrays.copyOf(all, length);
  }

  /**
   * The name this cluster's Hazelcast members join by: the configured name and a tag only nodes
   * with the secret can compute, so a host that knows only {@code DISCS_CLUSTER_NAME} forms a
   * cluster of its own.
   */
  public String hazelcastClusterName(String configuredName) {
    return configuredName + "-" + HexFormat.of().formatHex(derive("hazelcast cluster name", 8));
  }

  /** What a gateway shows an internal listener: derived, so the secret never leaves the node. */
  public String internalListenerProof() {
    return HexFormat.of().formatHex(derive("internal listener proof", 32));
  }

  static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
