package io.discs.gateway.auth;

import io.discs.platform.Role;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/** What a route needs, and which roles grant it: the permission half of the route table. */
public enum Permission {
  /** No token needed (the token endpoint itself). */
  PUBLIC(EnumSet.allOf(Role.class)),
  /** Any signed-in user, for things about oneself. */
  SELF(EnumSet.allOf(Role.class)),
  IMAGES_READ(EnumSet.of(Role.ADMIN, Role.OPERATOR, Role.USER)),
  IMAGES_WRITE(EnumSet.of(Role.ADMIN, Role.OPERATOR)),
  TARGETS(EnumSet.of(Role.ADMIN, Role.OPERATOR)),
  SESSIONS(EnumSet.of(Role.ADMIN, Role.OPERATOR, Role.USER)),
  AUDIT(EnumSet.of(Role.ADMIN, Role.AUDITOR)),
  USERS(EnumSet.of(Role.ADMIN));

  private final Set<Role> granted;

  Permission(Set<Role> granted) {
    this.granted = granted;
  }

  public boolean grantedToAnyOf(Collection<Role> roles) {
    return roles.stream().anyMatch(granted::contains);
  }

  public boolean needsToken() {
    return this != PUBLIC;
  }
}
