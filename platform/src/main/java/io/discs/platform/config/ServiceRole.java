package io.discs.platform.config;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The services one discs process can run ({@code DISCS_SERVICES}); all of them by default. */
public enum ServiceRole {
  GATEWAY,
  IMAGES,
  TARGETS,
  SESSIONS,
  AUDIT;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
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
