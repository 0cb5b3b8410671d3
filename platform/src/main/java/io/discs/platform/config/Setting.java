package io.discs.platform.config;

import java.util.Arrays;

/**
 * Every setting discs reads: its variable, default, bounds (for numbers), what a bad value is told
 * it must be, and the help a person reads. The one source: {@link DiscsConfig} reads the bounds
 * from here, and the README's configuration table is {@link ConfigurationTable}'s rendering of it
 * (a test fails when the README differs).
 */
public enum Setting {
  HTTP_PORT(
      spec("DISCS_HTTP_PORT", "8080")
          .range(1, 65535)
          .accepts("a port number from 1 to 65535")
          .help("the port of the HTTP API")),
  HTTP_HOST(
      spec("DISCS_HTTP_HOST", "0.0.0.0")
          .accepts("an address to bind the HTTP API to")
          .help("the address the API binds")),
  TLS_CERT(
      spec("DISCS_TLS_CERT", null)
          .shown("unset → plain HTTP")
          .accepts("a readable PEM file (the certificate chain), set together with DISCS_TLS_KEY")
          .help("PEM certificate chain: the API is served over HTTPS")),
  TLS_KEY(
      spec("DISCS_TLS_KEY", null)
          .shown("unset")
          .accepts("a readable PEM file (the private key), set together with DISCS_TLS_CERT")
          .help("PEM private key of `DISCS_TLS_CERT`")),
  TRUSTED_PROXIES(
      spec("DISCS_TRUSTED_PROXIES", null)
          .shown("unset → none")
          .accepts("comma-separated address blocks such as 10.0.0.0/8,192.0.2.7")
          .help(
              "CIDRs of reverse proxies: only from them is `Forwarded`/`X-Forwarded-For` believed"
                  + " (for the login throttle and the audit log)")),
  MANAGEMENT_LISTEN(
      spec("DISCS_MANAGEMENT_LISTEN", null)
          .shown("unset → on the API port")
          .accepts("host:port")
          .help(
              "`host:port` where `/health`, `/ready` and `/metrics` listen instead of the API port")),
  DATA_DIR(
      spec("DISCS_DATA_DIR", "./data")
          .accepts("a directory path")
          .help("blobs, embedded database, generated keys")),
  DB_URL(
      spec("DISCS_DB_URL", null)
          .shown("unset → embedded PostgreSQL in the data directory")
          .accepts("postgresql://user:password@host:port/database")
          .help("`postgresql://user:password@host:port/db`")),
  DB_OWNER_URL(
      spec("DISCS_DB_OWNER_URL", null)
          .shown("unset → migrations run as `DISCS_DB_URL`'s user")
          .accepts("postgresql://user:password@host:port/database")
          .help(
              "the role that owns the tables and runs migrations; `DISCS_DB_URL`'s role then gets"
                  + " only what the services need (see `infra/postgres/roles.sql`)")),
  DB_POOL_SIZE(spec("DISCS_DB_POOL_SIZE", "8").range(1, 200).help("connections per service")),
  ISCSI_BACKEND(
      spec("DISCS_ISCSI_BACKEND", "embedded")
          .accepts("one of embedded, tgt, lio")
          .help("`embedded` (in the JVM, no root), `tgt` (tgtadm), `lio` (targetcli)")),
  ISCSI_PORTAL(
      spec("DISCS_ISCSI_PORTAL", null)
          .shown("`<first non-loopback address>:3260`")
          .accepts("host:port")
          .help("`host:port` clients are told")),
  ISCSI_LISTEN(
      spec("DISCS_ISCSI_LISTEN", null)
          .shown("`0.0.0.0:<port of the portal>`")
          .accepts("host:port")
          .help("`host:port` the embedded target binds")),
  TGT_CONTROL_PORT(
      spec("DISCS_TGT_CONTROL_PORT", null)
          .shown("unset → tgtd's default")
          .range(0, 65535)
          .accepts("tgtd's management port (tgtd -C), a number from 0 to 65535")
          .help("tgtd's management port (`tgtd -C N`)")),
  RECONCILE_SECONDS(
      spec("DISCS_RECONCILE_SECONDS", "60")
          .range(1, 3_600)
          .help("how often target-service makes the backend match the database")),
  IQN_AUTHORITY(
      spec("DISCS_IQN_AUTHORITY", "iqn.2026-01.io.discs")
          .accepts("iqn.YYYY-MM.reversed.domain in lowercase")
          .help("`iqn.YYYY-MM.reversed.domain`, the prefix of generated target names")),
  ADMIN_PASSWORD(
      spec("DISCS_ADMIN_PASSWORD", null)
          .shown("unset → random, written to `<data>/initial-admin-password` (0600) at first start")
          .accepts("a password of at least " + SecurityConfig.MIN_PASSWORD_LENGTH + " characters")
          .help("at least " + SecurityConfig.MIN_PASSWORD_LENGTH + " characters")),
  SECRETS_KEY(
      spec("DISCS_SECRETS_KEY", null)
          .shown("unset → generated once into `<data>/keys/secrets.key` (0600)")
          .accepts("64 hex digits (a 256-bit key)")
          .help(
              "the AES-256-GCM key of CHAP secrets at rest; give every target-service node of a"
                  + " cluster the same one")),
  JWT_PRIVATE_KEY(
      spec("DISCS_JWT_PRIVATE_KEY", null)
          .shown("unset → an ES256 pair generated once into `<data>/keys`")
          .accepts("a readable PKCS#8 PEM file with a P-256 private key")
          .help("a PEM file (PKCS#8, P-256); set both keys in a cluster so gateways share them")),
  JWT_PUBLIC_KEY(
      spec("DISCS_JWT_PUBLIC_KEY", null)
          .shown("unset → generated with the private key")
          .accepts("a readable PEM file with the matching P-256 public key")
          .help("the matching PEM file (X.509)")),
  JWT_ISSUER(
      spec("DISCS_JWT_ISSUER", "discs")
          .accepts("a non-empty name without spaces")
          .help("the issuer checked in every token")),
  JWT_AUDIENCE(
      spec("DISCS_JWT_AUDIENCE", "discs-api")
          .accepts("a non-empty name without spaces")
          .help("the audience checked in every token")),
  TOKEN_MINUTES(spec("DISCS_TOKEN_MINUTES", "15").range(1, 1_440).help("how long a token lives")),
  LOGIN_MAX_FAILURES(
      spec("DISCS_LOGIN_MAX_FAILURES", "5")
          .range(1, 100)
          .help("failed logins per user name before a lock (an address gets four times as many)")),
  LOGIN_LOCK_SECONDS(
      spec("DISCS_LOGIN_LOCK_SECONDS", "300")
          .range(1, 86_400)
          .help("how long a lock lasts (`429` with `Retry-After`)")),
  LEASE_SECONDS(
      spec("DISCS_LEASE_SECONDS", "90")
          .range(10, 86_400)
          .help("how long a session lives without a heartbeat")),
  HEARTBEAT_SECONDS(
      spec("DISCS_HEARTBEAT_SECONDS", "30")
          .range(1, 3_600)
          .accepts("a number of seconds from 1 to 3600, less than the lease")
          .help("how often companions beat; less than the lease")),
  REAPER_SECONDS(
      spec("DISCS_REAPER_SECONDS", "15")
          .range(1, 3_600)
          .help("how often lapsed sessions are expired")),
  CACHE_MAX_BYTES(
      spec("DISCS_CACHE_MAX_BYTES", "68719476736")
          .shown("`68719476736` (64 GiB)")
          .range(1, Long.MAX_VALUE)
          .help(
              "a target node without image-service keeps the images it serves in a local cache"
                  + " this large; the least recently used go first, never one a target uses")),
  STORE(
      spec("DISCS_STORE", "file")
          .accepts("one of file, s3")
          .help(
              "where images live: `file` (`<data>/images`) or `s3` (a bucket of any"
                  + " S3-compatible service, `DISCS_S3_*`)")),
  S3_ENDPOINT(
      spec("DISCS_S3_ENDPOINT", null)
          .shown("unset → AWS")
          .accepts("an http(s) URL")
          .help("a self-hosted S3 service's URL (Ceph RGW, MinIO, Garage, SeaweedFS…)")),
  S3_BUCKET(
      spec("DISCS_S3_BUCKET", null)
          .shown("unset (required with `DISCS_STORE=s3`)")
          .accepts("a bucket name of 3 to 63 lower-case letters, digits, dots and hyphens")
          .help("the bucket images are kept in (`sha256/<hex>`)")),
  S3_REGION(
      spec("DISCS_S3_REGION", "us-east-1")
          .accepts("a region name")
          .help("the bucket's region (self-hosted services accept any)")),
  S3_ACCESS_KEY_ID(
      spec("DISCS_S3_ACCESS_KEY_ID", null)
          .shown("unset → the usual AWS sources (environment, profile, instance role)")
          .accepts("an access key id, set together with DISCS_S3_SECRET_ACCESS_KEY")
          .help("the key id discs signs with")),
  S3_SECRET_ACCESS_KEY(
      spec("DISCS_S3_SECRET_ACCESS_KEY", null)
          .shown("unset")
          .accepts("the secret of DISCS_S3_ACCESS_KEY_ID")
          .help("its secret")),
  S3_PATH_STYLE(
      spec("DISCS_S3_PATH_STYLE", null)
          .shown("unset → on with `DISCS_S3_ENDPOINT`, off for AWS")
          .accepts("true or false")
          .help("`https://host/bucket/key` addressing, as self-hosted services want")),
  MAX_IMAGE_BYTES(
      spec("DISCS_MAX_IMAGE_BYTES", "17179869184")
          .shown("`17179869184` (16 GiB)")
          .range(65_536, Long.MAX_VALUE)
          .help("the largest image accepted, in bytes")),
  UPLOAD_IDLE_SECONDS(
      spec("DISCS_UPLOAD_IDLE_SECONDS", "60")
          .range(1, 3_600)
          .help(
              "an upload that sends nothing this long is closed (408) and its temporary file"
                  + " removed; uploads have no overall deadline; an image node's internal"
                  + " listener closes a connection silent for this + 10 s")),
  UPLOAD_EXPIRY_HOURS(
      spec("DISCS_UPLOAD_EXPIRY_HOURS", "24")
          .range(1, 720)
          .help(
              "a resumable upload (`/api/v1/uploads`, tus) that receives nothing this long is"
                  + " removed with its bytes")),
  REQUEST_TIMEOUT_SECONDS(
      spec("DISCS_REQUEST_TIMEOUT_SECONDS", "60")
          .range(1, 3_600)
          .help(
              "the deadline of every API call but uploads and downloads (503 after it); the"
                  + " services' calls to each other wait less, each less than its caller")),
  MAX_SESSIONS_PER_USER(
      spec("DISCS_MAX_SESSIONS_PER_USER", "4")
          .range(1, 1_000)
          .help("active sessions one user may have")),
  SERVICES(
      spec("DISCS_SERVICES", "gateway,images,targets,sessions,audit")
          .accepts("a comma-separated list of gateway, images, targets, sessions, audit")
          .help(
              "the services this process runs; fewer than all needs `DISCS_CLUSTER=true` and"
                  + " `DISCS_DB_URL` (a node without the gateway serves only `/health`, `/ready` and"
                  + " `/metrics` on the HTTP port)")),
  CLUSTER(
      spec("DISCS_CLUSTER", "false")
          .accepts("true or false")
          .help("`true` runs on a Hazelcast cluster")),
  CLUSTER_MEMBERS(
      spec("DISCS_CLUSTER_MEMBERS", "127.0.0.1")
          .accepts("a comma-separated list of host or host:port")
          .help("comma-separated `host[:port]`, TCP-IP join, no multicast")),
  CLUSTER_NAME(
      spec("DISCS_CLUSTER_NAME", "discs")
          .accepts("letters, digits, '-', '_' and '.'")
          .help("the Hazelcast cluster name")),
  CLUSTER_HOST(
      spec("DISCS_CLUSTER_HOST", "127.0.0.1")
          .accepts("the address this node binds and advertises")
          .help("the address this node binds and advertises")),
  CLUSTER_PORT(
      spec("DISCS_CLUSTER_PORT", "5701")
          .range(1, 65535)
          .accepts("a port number from 1 to 65535")
          .help("the Hazelcast port (the next ones are tried if taken)")),
  INTERNAL_LISTEN(
      spec("DISCS_INTERNAL_LISTEN", null)
          .shown("unset → none")
          .accepts("host:port")
          .help(
              "`host:port` where a node running `images` takes uploads from gateways on other"
                  + " nodes (needs `DISCS_CLUSTER_SECRET`; a wildcard address is advertised as"
                  + " `DISCS_CLUSTER_HOST`)")),
  CLUSTER_SECRET(
      spec("DISCS_CLUSTER_SECRET", null)
          .shown("unset; required with `DISCS_CLUSTER=true`")
          .accepts("at least 32 characters, the same on every node")
          .help(
              "shared by every node and never sent: the cluster's CA (mutual TLS on the event bus"
                  + " and internal listeners), the seal on callers and the Hazelcast join name are"
                  + " derived from it")),
  LOG_FORMAT(
      spec("DISCS_LOG_FORMAT", "text")
          .accepts("text or json")
          .help(
              "`json`: one JSON object per line (time, level, logger, message; request lines add"
                  + " requestId, user, method, route, status, durationMs); an environment variable"
                  + " only, since logging starts before the settings are read")),
  CONFIG_FILE(
      spec(ConfigSources.CONFIG_FILE, null)
          .accepts("a properties file with DISCS_* keys")
          .help("a properties file of the settings above"));

  /** One setting's facts, built fluently so each entry above reads as one sentence. */
  static final class Spec {
    private final String variable;
    private final String defaultValue;
    private String shown;
    private long min = Long.MIN_VALUE;
    private long max = Long.MAX_VALUE;
    private String accepts;
    private String help = "";

    private Spec(String variable, String defaultValue) {
      this.variable = variable;
      this.defaultValue = defaultValue;
    }

    Spec shown(String text) {
      this.shown = text;
      return this;
    }

    Spec range(long min, long max) {
      this.min = min;
      this.max = max;
      return this;
    }

    Spec accepts(String text) {
      this.accepts = text;
      return this;
    }

    Spec help(String text) {
      this.help = text;
      return this;
    }
  }

  private static Spec spec(String variable, String defaultValue) {
    return new Spec(variable, defaultValue);
  }

  private final Spec spec;

  Setting(Spec spec) {
    this.spec = spec;
  }

  public String variable() {
    return spec.variable;
  }

  public String defaultValue() {
    return spec.defaultValue;
  }

  /** What a bad value is told it must be. */
  public String accepts() {
    if (spec.accepts != null) {
      return spec.accepts;
    }
    return spec.max == Long.MAX_VALUE
        ? "a number from " + spec.min + " up"
        : "a number from " + spec.min + " to " + spec.max;
  }

  /** The smallest value a numeric setting takes. */
  public long min() {
    return spec.min;
  }

  /** The largest value a numeric setting takes. */
  public long max() {
    return spec.max;
  }

  boolean numeric() {
    return spec.min != Long.MIN_VALUE;
  }

  /** The default as a person reads it in the README. */
  public String shownDefault() {
    if (spec.shown != null) {
      return spec.shown;
    }
    return spec.defaultValue == null ? "unset" : "`" + spec.defaultValue + "`";
  }

  /** What a person reads about the setting, bounds first for numbers. */
  public String help() {
    if (!numeric()) {
      return spec.help;
    }
    String bounds = spec.max == Long.MAX_VALUE ? spec.min + " and up" : spec.min + "–" + spec.max;
    return spec.help.isEmpty() ? bounds : bounds + ": " + spec.help;
  }

  static boolean isKnown(String variable) {
    return Arrays.stream(values()).anyMatch(s -> s.variable().equals(variable));
  }
}
