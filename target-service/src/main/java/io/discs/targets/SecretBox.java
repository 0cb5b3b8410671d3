package io.discs.targets;

import io.discs.platform.secrets.KeyFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * CHAP secrets at rest: AES-256-GCM with a key the database does not hold ({@code
 * DISCS_SECRETS_KEY}, or {@code <data>/keys/secrets.key}, 0600). Each value is bound to its row and
 * column (associated data), so a secret copied into another row does not open. Stored as {@code
 * v1:<base64 of nonce and ciphertext>}; rows from before this carry the plain secret and are read
 * as they are.
 */
final class SecretBox {
  private static final String PREFIX = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  private SecretBox(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /** Blocking (a key file): call from a worker. */
  static SecretBox load(Path dataDir, String configuredHex) throws IOException {
    return new SecretBox(
        configuredHex != null
            ? HexFormat.of().parseHex(configuredHex)
            : KeyFile.loadOrCreate(dataDir.resolve("keys").resolve("secrets.key")));
  }

  String seal(String secret, String boundTo) {
    if (secret == null) {
      return null;
    }
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      return PREFIX
          + Base64.getEncoder()
              .encodeToString(
                  ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every JDK", e);
    }
  }

  /** The secret; an error names a stored value this key cannot open (another key, or tampered). */
  String open(String stored, String boundTo) {
    if (stored == null || !stored.startsWith(PREFIX)) {
      return stored;
    }
    try {
      byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
      cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
      return new String(
          cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "a stored CHAP secret ("
              + boundTo
              + ") does not open with this key: DISCS_SECRETS_KEY or <data>/keys/secrets.key"
              + " differs from the one it was sealed with");
    }
  }
}
