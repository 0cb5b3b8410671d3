package io.discs.platform.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How the gateway issues and checks tokens and slows down password guessing.
 *
 * @param jwtPrivateKey null: a key pair is generated once into the data directory
 * @param adminPassword null: a random one is generated at first start and logged once
 */
public record SecurityConfig(
    Path jwtPrivateKey,
    Path jwtPublicKey,
    String issuer,
    String audience,
    int tokenMinutes,
    int loginMaxFailures,
    int loginLockSeconds,
    String adminPassword) {

  public Optional<String> configuredAdminPassword() {
    return Optional.ofNullable(adminPassword);
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
