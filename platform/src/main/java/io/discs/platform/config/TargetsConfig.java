package io.discs.platform.config;

import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * target-service's slice: which backend serves targets, where clients reach it, how often the
 * backend is made to match the database, and the prefix of target names.
 *
 * @param portal the address clients are told
 * @param listen the address the embedded target binds
 * @param tgtControlPort tgtd's management port, or null for tgtd's default
 * @param cacheMaxBytes how large a target node's cache of images fetched from image nodes grows
 */
public record TargetsConfig(
    IscsiBackendKind backend,
    HostPort portal,
    HostPort listen,
    Integer tgtControlPort,
    int reconcileSeconds,
    String iqnAuthority,
    long cacheMaxBytes) {

  private static final Pattern IQN_AUTHORITY =
      Pattern.compile(
          "iqn\\.\\d{4}-(0[1-9]|1[0-2])\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

  static TargetsConfig read(SettingReader in, Supplier<String> defaultPortalHost) {
    IscsiBackendKind backend = in.enumValue(Setting.ISCSI_BACKEND, IscsiBackendKind.class);
    HostPort portal =
        in.optional(Setting.ISCSI_PORTAL, HostPort::parse)
            .orElseGet(() -> new HostPort(defaultPortalHost.get(), 3260));
    HostPort listen =
        in.optional(Setting.ISCSI_LISTEN, HostPort::parse)
            .orElseGet(() -> new HostPort("0.0.0.0", portal.port()));
    Integer tgtControlPort =
        in.raw(Setting.TGT_CONTROL_PORT).isPresent() ? in.integer(Setting.TGT_CONTROL_PORT) : null;
    String authority = in.string(Setting.IQN_AUTHORITY);
    if (!IQN_AUTHORITY.matcher(authority).matches() || authority.length() > 150) {
      throw SettingReader.invalid(Setting.IQN_AUTHORITY, authority);
    }
    return new TargetsConfig(
        backend,
        portal,
        listen,
        tgtControlPort,
        in.integer(Setting.RECONCILE_SECONDS),
        authority,
        in.longValue(Setting.CACHE_MAX_BYTES));
  }
}
