package io.discs.platform.config;

/**
 * session-service's slice: how long a session lives without a heartbeat, how often companions beat,
 * how often lapsed sessions are expired, and how many one user may hold.
 */
public record SessionsConfig(
    int leaseSeconds, int heartbeatSeconds, int reaperSeconds, int maxPerUser) {

  static SessionsConfig read(SettingReader in) {
    int lease = in.integer(Setting.LEASE_SECONDS);
    int heartbeat = in.integer(Setting.HEARTBEAT_SECONDS);
    if (heartbeat >= lease) {
      throw SettingReader.invalid(Setting.HEARTBEAT_SECONDS, String.valueOf(heartbeat));
    }
    return new SessionsConfig(
        lease,
        heartbeat,
        in.integer(Setting.REAPER_SECONDS),
        in.integer(Setting.MAX_SESSIONS_PER_USER));
  }
}
