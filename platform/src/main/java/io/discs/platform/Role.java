package io.discs.platform;

import java.util.Locale;
import java.util.Optional;

/** The four roles of API.md; a user holds one or more, and a {@link Caller} carries them. */
public enum Role {
  ADMIN,
  OPERATOR,
  USER,
  AUDITOR;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> fromWire(String name) {
    for (Role role : values()) {
      if (role.wireName().equals(name)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
