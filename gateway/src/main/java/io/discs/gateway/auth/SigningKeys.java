package io.discs.gateway.auth;

import io.discs.platform.config.SecurityConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * The ES256 key pair tokens are signed with, as PEM text: from the files the configuration names,
 * else generated once into {@code <data dir>/keys} (private key mode 0600) and reused after.
 * Gateways in a cluster must share one pair, so a cluster names the files.
 */
public record SigningKeys(String privatePem, String publicPem) {
  static final String PRIVATE_FILE = "jwt-es256-private.pem";
  static final String PUBLIC_FILE = "jwt-es256-public.pem";

  /** Blocking file I/O: call on a worker. */
  public static SigningKeys loadOrGenerate(SecurityConfig security, Path dataDir)
      throws IOException {
    if (security.jwtPrivateKey() != null) {
      return new SigningKeys(
          Files.readString(security.jwtPrivateKey()), Files.readString(security.jwtPublicKey()));
    }
    Path dir = dataDir.resolve("keys");
    Path privateKey = dir.resolve(PRIVATE_FILE);
    Path publicKey = dir.resolve(PUBLIC_FILE);
    if (!Files.exists(privateKey)) {
      Files.createDirectories(dir);
      SigningKeys generated = generate();
      try {
        Files.createFile(
            privateKey,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(privateKey, generated.privatePem, StandardCharsets.US_ASCII);
        Files.writeString(publicKey, generated.publicPem, StandardCharsets.US_ASCII);
      } catch (FileAlreadyExistsException e) {
        // Another gateway on this data directory won the race; use its keys.
      }
    }
    return new SigningKeys(Files.readString(privateKey), Files.readString(publicKey));
  }

  static SigningKeys generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair pair = generator.generateKeyPair();
      return new SigningKeys(
          pem("PRIVATE KEY", pair.getPrivate().getEncoded()),
          pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate P-256 keys", e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  @Override
  public String toString() {
    return "SigningKeys[ES256]";
  }
}
