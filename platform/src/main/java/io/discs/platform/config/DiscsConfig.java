package io.discs.platform.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The whole configuration, read once at start and validated; nothing else reads the environment.
 *
 * @param dbUrl null when discs runs its own embedded PostgreSQL
 */
public record DiscsConfig(
    int httpPort,
    String httpHost,
    EdgeConfig edge,
    Path dataDir,
    DatabaseUrl dbUrl,
    DatabaseUrl dbOwnerUrl,
    int dbPoolSize,
    IscsiBackendKind iscsiBackend,
    HostPort iscsiPortal,
    HostPort iscsiListen,
    Integer tgtControlPort,
    int reconcileSeconds,
    String iqnAuthority,
    SecurityConfig security,
    int leaseSeconds,
    int heartbeatSeconds,
    int reaperSeconds,
    UploadConfig uploads,
    int requestTimeoutSeconds,
    int maxSessionsPerUser,
    boolean cluster,
    List<String> clusterMembers,
    String clusterName,
    String clusterHost,
    int clusterPort) {

  private static final Pattern IQN_AUTHORITY =
      Pattern.compile(
          "iqn\\.\\d{4}-(0[1-9]|1[0-2])\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
  private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9.:\\[\\]-]{1,255}");

  public DiscsConfig {
    clusterMembers = List.copyOf(clusterMembers);
  }

  public static DiscsConfig fromProcess() {
    return from(ConfigSources.fromProcess());
  }

  public static DiscsConfig from(Map<String, String> values) {
    SettingReader in = new SettingReader(values);
    int httpPort = in.integer(Setting.HTTP_PORT);
    String httpHost = in.string(Setting.HTTP_HOST);
    EdgeConfig edge = EdgeConfig.read(in);
    Path dataDir = in.path(Setting.DATA_DIR);
    DatabaseUrl dbUrl = in.optional(Setting.DB_URL, DatabaseUrl::parse).orElse(null);
    DatabaseUrl dbOwnerUrl = in.optional(Setting.DB_OWNER_URL, DatabaseUrl::parse).orElse(null);
    int poolSize = in.integer(Setting.DB_POOL_SIZE);
    IscsiBackendKind backend = in.enumValue(Setting.ISCSI_BACKEND, IscsiBackendKind.class);
    HostPort portal =
        in.optional(Setting.ISCSI_PORTAL, HostPort::parse)
            .orElseGet(() -> new HostPort(firstNonLoopbackAddress(), 3260));
    HostPort listen =
        in.optional(Setting.ISCSI_LISTEN, HostPort::parse)
            .orElseGet(() -> new HostPort("0.0.0.0", portal.port()));
    Integer tgtControlPort =
        in.raw(Setting.TGT_CONTROL_PORT).isPresent() ? in.integer(Setting.TGT_CONTROL_PORT) : null;
    int reconcileSeconds = in.integer(Setting.RECONCILE_SECONDS);
    String authority = in.string(Setting.IQN_AUTHORITY);
    if (!IQN_AUTHORITY.matcher(authority).matches() || authority.length() > 150) {
      throw SettingReader.invalid(Setting.IQN_AUTHORITY, authority);
    }
    SecurityConfig security = security(in);
    int lease = in.integer(Setting.LEASE_SECONDS);
    int heartbeat = in.integer(Setting.HEARTBEAT_SECONDS);
    if (heartbeat >= lease) {
      throw SettingReader.invalid(Setting.HEARTBEAT_SECONDS, String.valueOf(heartbeat));
    }
    int reaper = in.integer(Setting.REAPER_SECONDS);
    UploadConfig uploads = UploadConfig.read(in);
    int requestTimeout = in.integer(Setting.REQUEST_TIMEOUT_SECONDS);
    int maxSessions = in.integer(Setting.MAX_SESSIONS_PER_USER);
    boolean cluster = in.bool(Setting.CLUSTER);
    List<String> members =
        in.parse(Setting.CLUSTER_MEMBERS, in.string(Setting.CLUSTER_MEMBERS), DiscsConfig::members);
    String clusterName = in.string(Setting.CLUSTER_NAME);
    if (!CLUSTER_NAME.matcher(clusterName).matches()) {
      throw SettingReader.invalid(Setting.CLUSTER_NAME, clusterName);
    }
    String clusterHost = in.string(Setting.CLUSTER_HOST);
    int clusterPort = in.integer(Setting.CLUSTER_PORT);
    return new DiscsConfig(
        httpPort,
        httpHost,
        edge,
        dataDir,
        dbUrl,
        dbOwnerUrl,
        poolSize,
        backend,
        portal,
        listen,
        tgtControlPort,
        reconcileSeconds,
        authority,
        security,
        lease,
        heartbeat,
        reaper,
        uploads,
        requestTimeout,
        maxSessions,
        cluster,
        members,
        clusterName,
        clusterHost,
        clusterPort);
  }

  /** Who runs the migrations and owns the tables: the owner role when one is named. */
  public DatabaseUrl migrationUrl() {
    return dbOwnerUrl != null ? dbOwnerUrl : dbUrl;
  }

  public Optional<DatabaseUrl> externalDatabase() {
    return Optional.ofNullable(dbUrl);
  }

  private static SecurityConfig security(SettingReader in) {
    String adminPassword = in.raw(Setting.ADMIN_PASSWORD).orElse(null);
    if (adminPassword != null && adminPassword.length() < 12) {
      throw SettingReader.invalid(Setting.ADMIN_PASSWORD, adminPassword);
    }
    Path privateKey =
        in.raw(Setting.JWT_PRIVATE_KEY).map(t -> in.path(Setting.JWT_PRIVATE_KEY)).orElse(null);
    Path publicKey =
        in.raw(Setting.JWT_PUBLIC_KEY).map(t -> in.path(Setting.JWT_PUBLIC_KEY)).orElse(null);
    if ((privateKey == null) != (publicKey == null)) {
      Setting missing = privateKey == null ? Setting.JWT_PRIVATE_KEY : Setting.JWT_PUBLIC_KEY;
      throw new ConfigException(
          missing.variable() + " must be set together with the other JWT key file");
    }
    return new SecurityConfig(
        privateKey,
        publicKey,
        name(in, Setting.JWT_ISSUER),
        name(in, Setting.JWT_AUDIENCE),
        in.integer(Setting.TOKEN_MINUTES),
        in.integer(Setting.LOGIN_MAX_FAILURES),
        in.integer(Setting.LOGIN_LOCK_SECONDS),
        adminPassword,
        in.raw(Setting.SECRETS_KEY)
            .map(
                key -> {
                  if (!key.matches("[0-9a-fA-F]{64}")) {
                    throw SettingReader.invalid(Setting.SECRETS_KEY, key);
                  }
                  return key.toLowerCase(java.util.Locale.ROOT);
                })
            .orElse(null));
  }

  private static String name(SettingReader in, Setting setting) {
    String value = in.string(setting);
    if (value.length() > 200 || value.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw SettingReader.invalid(setting, value);
    }
    return value;
  }

  /** A copy with another database, for the launcher that starts an embedded one. */
  public DiscsConfig withDatabase(DatabaseUrl url) {
    return withDatabase(url, null);
  }

  /**
   * A copy with another database: the services connect as {@code app}, migrations run as {@code
   * owner} (null: as {@code app}).
   */
  public DiscsConfig withDatabase(DatabaseUrl app, DatabaseUrl owner) {
    return new DiscsConfig(
        httpPort,
        httpHost,
        edge,
        dataDir,
        app,
        owner,
        dbPoolSize,
        iscsiBackend,
        iscsiPortal,
        iscsiListen,
        tgtControlPort,
        reconcileSeconds,
        iqnAuthority,
        security,
        leaseSeconds,
        heartbeatSeconds,
        reaperSeconds,
        uploads,
        requestTimeoutSeconds,
        maxSessionsPerUser,
        cluster,
        clusterMembers,
        clusterName,
        clusterHost,
        clusterPort);
  }

  private static List<String> members(String text) {
    List<String> members =
        Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (members.isEmpty() || !members.stream().allMatch(m -> MEMBER.matcher(m).matches())) {
      throw new IllegalArgumentException("bad member list");
    }
    return members;
  }

  private static String firstNonLoopbackAddress() {
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
            return address.getHostAddress();
          }
        }
      }
    } catch (SocketException e) {
      // No usable interface list: the loopback portal below still works for local clients.
    }
    return "127.0.0.1";
  }

  @Override
  public String toString() {
    return "DiscsConfig[httpPort="
        + httpPort
        + ", dataDir="
        + dataDir
        + ", db="
        + (dbUrl == null ? "embedded" : dbUrl)
        + ", iscsiBackend="
        + iscsiBackend
        + ", portal="
        + iscsiPortal
        + ", cluster="
        + cluster
        + "]";
  }
}
