package io.discs.platform.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How the gateway issues and checks tokens and slows down password guessing.
 *
 * @param jwtPrivateKey null: a key pair is generated once into the data directory
 * @param adminPassword null: a random one is generated at first start into a 0600 file
 * @param secretsKeyHex null: the key of secrets at rest is generated once into the data directory
 */
public record SecurityConfig(
    Path jwtPrivateKey,
    Path jwtPublicKey,
    String issuer,
    String audience,
    int tokenMinutes,
    int loginMaxFailures,
    int loginLockSeconds,
    String adminPassword,
    String secretsKeyHex) {
  /** The password rules, here once: the admin's from the environment and every user's. */
  public static final int MIN_PASSWORD_LENGTH = 12;

  public static final int MAX_PASSWORD_LENGTH = 1024;

  public Optional<String> configuredAdminPassword() {
    return Optional.ofNullable(adminPassword);
  }

  /** The key of secrets at rest (CHAP), as 64 hex digits; empty: a key file in the data dir. */
  public Optional<String> configuredSecretsKey() {
    return Optional.ofNullable(secretsKeyHex);
  }

  @Override
  public String toString() {
    return "SecurityConfig[issuer="
        + issuer
        + ", audience="
        + audience
        + ", tokenMinutes="
        + tokenMinutes
        + "]";
  }
}
