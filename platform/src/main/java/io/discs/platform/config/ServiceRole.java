package io.discs.platform.config;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The services one discs process can run ({@code DISCS_SERVICES}); all of them by default. */
public enum ServiceRole {
  GATEWAY("identity"),
  IMAGES("images"),
  TARGETS("targets"),
  SESSIONS("sessions"),
  AUDIT("audit");

  private final String schema;

  ServiceRole(String schema) {
    this.schema = schema;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The PostgreSQL schema this service owns; its migrations are {@code db/<schema>/} in its module.
   * The gateway keeps identity (users, token revocations).
   */
  public String schema() {
    return schema;
  }

  /** A comma-separated list of wire names; throws on an unknown one or an empty list. */
  static Set<ServiceRole> parseList(String text) {
    Set<ServiceRole> roles = EnumSet.noneOf(ServiceRole.class);
    for (String part : text.split(",")) {
      String name = part.trim();
      if (name.isEmpty()) {
        continue;
      }
      roles.add(
          Arrays.stream(values())
              .filter(role -> role.wireName().equals(name))
              .findFirst()
              .orElseThrow(() -> new IllegalArgumentException("unknown service " + name)));
    }
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("no service");
    }
    return roles;
  }
}
