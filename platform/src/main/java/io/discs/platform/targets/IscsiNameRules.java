package io.discs.platform.targets;

import java.util.regex.Pattern;

/**
 * What discs accepts as an iSCSI name (RFC 7143 section 4.2.7): {@code
 * iqn.YYYY-MM.reversed.domain[:id]}, {@code eui.<16 hex>} or {@code naa.<16 or 32 hex>}, lowercase,
 * at most 223 bytes. Shared so that every service refuses the same names before anything is stored
 * or run.
 */
public final class IscsiNameRules {
  public static final Pattern NAME =
      Pattern.compile(
          "(iqn\\.\\d{4}-\\d{2}\\.[a-z0-9][a-z0-9.-]*[a-z0-9]"
              + "(:[a-z0-9][a-z0-9.:_-]*)?|eui\\.[0-9a-f]{16}|naa\\.([0-9a-f]{16}|[0-9a-f]{32}))");
  public static final int MAX_BYTES = 223;
  public static final String RULE =
      "an iSCSI name in lowercase: iqn.YYYY-MM.reversed.domain[:id], eui.<16 hex> or "
          + "naa.<16 or 32 hex>, at most 223 bytes";

  private IscsiNameRules() {}

  public static boolean isValid(String name) {
    return name != null && name.length() <= MAX_BYTES && NAME.matcher(name).matches();
  }
}
