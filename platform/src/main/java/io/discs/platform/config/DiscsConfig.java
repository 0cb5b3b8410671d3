package io.discs.platform.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
    TargetsConfig targets,
    SecurityConfig security,
    SessionsConfig sessions,
    UploadConfig uploads,
    StoreConfig store,
    int requestTimeoutSeconds,
    ClusterConfig cluster,
    Set<ServiceRole> services) {

  public DiscsConfig {
    services = Collections.unmodifiableSet(EnumSet.copyOf(services));
  }

  /** How long each layer waits for the one beneath it ({@link CallDeadlines}). */
  public CallDeadlines deadlines() {
    return CallDeadlines.of(requestTimeoutSeconds);
  }

  /** Whether this process runs every service (the standalone's usual case). */
  public boolean runsAll() {
    return services.size() == ServiceRole.values().length;
  }

  public boolean runs(ServiceRole role) {
    return services.contains(role);
  }

  public static DiscsConfig fromProcess() {
    return from(ConfigSources.fromProcess());
  }

  /** Every setting read and checked; each owner's settings are a slice of their own. */
  public static DiscsConfig from(Map<String, String> values) {
    SettingReader in = new SettingReader(values);
    String logFormat = in.string(Setting.LOG_FORMAT);
    if (!logFormat.equals("text") && !logFormat.equals("json")) {
      throw SettingReader.invalid(Setting.LOG_FORMAT, logFormat);
    }
    ClusterConfig cluster = ClusterConfig.read(in);
    Set<ServiceRole> services =
        in.parse(Setting.SERVICES, in.string(Setting.SERVICES), ServiceRole::parseList);
    if (services.size() < ServiceRole.values().length && !cluster.enabled()) {
      throw new ConfigException(
          "DISCS_SERVICES names only some services: the others must run elsewhere in a cluster"
              + " (DISCS_CLUSTER=true)");
    }
    return new DiscsConfig(
        in.integer(Setting.HTTP_PORT),
        in.string(Setting.HTTP_HOST),
        EdgeConfig.read(in),
        in.path(Setting.DATA_DIR),
        in.optional(Setting.DB_URL, DatabaseUrl::parse).orElse(null),
        in.optional(Setting.DB_OWNER_URL, DatabaseUrl::parse).orElse(null),
        in.integer(Setting.DB_POOL_SIZE),
        TargetsConfig.read(in, DiscsConfig::firstNonLoopbackAddress),
        security(in),
        SessionsConfig.read(in),
        UploadConfig.read(in),
        StoreConfig.read(in),
        in.integer(Setting.REQUEST_TIMEOUT_SECONDS),
        cluster,
        services);
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
    if (adminPassword != null
        && (adminPassword.length() < SecurityConfig.MIN_PASSWORD_LENGTH
            || adminPassword.length() > SecurityConfig.MAX_PASSWORD_LENGTH)) {
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
        targets,
        security,
        sessions,
        uploads,
        store,
        requestTimeoutSeconds,
        cluster,
        services);
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
        + targets.backend()
        + ", portal="
        + targets.portal()
        + ", cluster="
        + cluster.enabled()
        + "]";
  }
}
