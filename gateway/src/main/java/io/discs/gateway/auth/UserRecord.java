package io.discs.gateway.auth;

import io.discs.platform.Role;
import java.time.Instant;
import java.util.List;

/** A row of {@code users}. The hash never leaves the gateway. */
public record UserRecord(
    String username, String passwordHash, List<Role> roles, Instant createdAt, String createdBy) {
  public UserRecord {
    roles = List.copyOf(roles);
  }
}
