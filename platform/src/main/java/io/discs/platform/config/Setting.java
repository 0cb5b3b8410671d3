package io.discs.platform.config;

import java.util.Arrays;

/**
 * Every setting discs reads, with its default and what it accepts; the README table mirrors this.
 */
public enum Setting {
  HTTP_PORT("DISCS_HTTP_PORT", "8080", "a port number from 1 to 65535"),
  HTTP_HOST("DISCS_HTTP_HOST", "0.0.0.0", "an address to bind the HTTP API to"),
  DATA_DIR("DISCS_DATA_DIR", "./data", "a directory path"),
  DB_URL("DISCS_DB_URL", null, "postgresql://user:password@host:port/database"),
  DB_POOL_SIZE("DISCS_DB_POOL_SIZE", "8", "a number from 1 to 200"),
  ISCSI_BACKEND("DISCS_ISCSI_BACKEND", "embedded", "one of embedded, tgt, lio"),
  ISCSI_PORTAL("DISCS_ISCSI_PORTAL", null, "host:port"),
  ISCSI_LISTEN("DISCS_ISCSI_LISTEN", null, "host:port"),
  TGT_CONTROL_PORT(
      "DISCS_TGT_CONTROL_PORT", null, "tgtd's management port (tgtd -C), a number from 0 to 65535"),
  RECONCILE_SECONDS("DISCS_RECONCILE_SECONDS", "60", "a number of seconds from 1 to 3600"),
  IQN_AUTHORITY(
      "DISCS_IQN_AUTHORITY", "iqn.2026-01.io.discs", "iqn.YYYY-MM.reversed.domain in lowercase"),
  ADMIN_PASSWORD("DISCS_ADMIN_PASSWORD", null, "a password of at least 12 characters"),
  JWT_PRIVATE_KEY(
      "DISCS_JWT_PRIVATE_KEY", null, "a readable PKCS#8 PEM file with a P-256 private key"),
  JWT_PUBLIC_KEY(
      "DISCS_JWT_PUBLIC_KEY", null, "a readable PEM file with the matching P-256 public key"),
  JWT_ISSUER("DISCS_JWT_ISSUER", "discs", "a non-empty name without spaces"),
  JWT_AUDIENCE("DISCS_JWT_AUDIENCE", "discs-api", "a non-empty name without spaces"),
  TOKEN_MINUTES("DISCS_TOKEN_MINUTES", "15", "a number of minutes from 1 to 1440"),
  LOGIN_MAX_FAILURES("DISCS_LOGIN_MAX_FAILURES", "5", "a number from 1 to 100"),
  LOGIN_LOCK_SECONDS("DISCS_LOGIN_LOCK_SECONDS", "300", "a number of seconds from 1 to 86400"),
  LEASE_SECONDS("DISCS_LEASE_SECONDS", "90", "a number of seconds from 10 to 86400"),
  HEARTBEAT_SECONDS(
      "DISCS_HEARTBEAT_SECONDS", "30", "a number of seconds from 1 to 3600, less than the lease"),
  REAPER_SECONDS("DISCS_REAPER_SECONDS", "15", "a number of seconds from 1 to 3600"),
  MAX_IMAGE_BYTES("DISCS_MAX_IMAGE_BYTES", "17179869184", "a number of bytes from 65536 up"),
  UPLOAD_IDLE_SECONDS(
      "DISCS_UPLOAD_IDLE_SECONDS",
      "60",
      "a number of seconds from 1 to 3600 an upload may send nothing before it is closed"),
  REQUEST_TIMEOUT_SECONDS(
      "DISCS_REQUEST_TIMEOUT_SECONDS",
      "60",
      "a number of seconds from 1 to 3600 for API calls that are not uploads or downloads"),
  MAX_SESSIONS_PER_USER("DISCS_MAX_SESSIONS_PER_USER", "4", "a number from 1 to 1000"),
  CLUSTER("DISCS_CLUSTER", "false", "true or false"),
  CLUSTER_MEMBERS(
      "DISCS_CLUSTER_MEMBERS", "127.0.0.1", "a comma-separated list of host or host:port"),
  CLUSTER_NAME("DISCS_CLUSTER_NAME", "discs", "letters, digits, '-', '_' and '.'"),
  CLUSTER_HOST("DISCS_CLUSTER_HOST", "127.0.0.1", "the address this node binds and advertises"),
  CLUSTER_PORT("DISCS_CLUSTER_PORT", "5701", "a port number from 1 to 65535"),
  CONFIG_FILE(ConfigSources.CONFIG_FILE, null, "a properties file with DISCS_* keys");

  private final String variable;
  private final String defaultValue;
  private final String accepts;

  Setting(String variable, String defaultValue, String accepts) {
    this.variable = variable;
    this.defaultValue = defaultValue;
    this.accepts = accepts;
  }

  public String variable() {
    return variable;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String accepts() {
    return accepts;
  }

  static boolean isKnown(String variable) {
    return Arrays.stream(values()).anyMatch(s -> s.variable.equals(variable));
  }
}
