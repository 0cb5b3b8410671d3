package io.discs.platform.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The gateway's edge: TLS, the proxies whose forwarding headers are believed, and where the
 * operations endpoints listen. The gateway's slice of the configuration.
 *
 * @param tlsCert PEM certificate chain, or null for plain HTTP
 * @param tlsKey PEM private key (PKCS#8 or PKCS#1), with {@code tlsCert}
 * @param managementListen where /health, /ready and /metrics listen instead of the API port, or
 *     null to serve them on the API port
 */
public record EdgeConfig(
    Path tlsCert, Path tlsKey, List<Cidr> trustedProxies, HostPort managementListen) {

  public EdgeConfig {
    trustedProxies = List.copyOf(trustedProxies);
  }

  public boolean tls() {
    return tlsCert != null;
  }

  static EdgeConfig read(SettingReader in) {
    Path cert = in.raw(Setting.TLS_CERT).isPresent() ? readable(in, Setting.TLS_CERT) : null;
    Path key = in.raw(Setting.TLS_KEY).isPresent() ? readable(in, Setting.TLS_KEY) : null;
    if ((cert == null) != (key == null)) {
      throw SettingReader.invalid(
          cert == null ? Setting.TLS_CERT : Setting.TLS_KEY, "(unset while its pair is set)");
    }
    List<Cidr> proxies =
        in.raw(Setting.TRUSTED_PROXIES)
            .map(
                text ->
                    in.parse(
                        Setting.TRUSTED_PROXIES,
                        text,
                        t ->
                            Arrays.stream(t.split(","))
                                .map(String::trim)
                                .filter(s -> !s.isEmpty())
                                .map(Cidr::parse)
                                .toList()))
            .orElse(List.of());
    HostPort management = in.optional(Setting.MANAGEMENT_LISTEN, HostPort::parse).orElse(null);
    return new EdgeConfig(cert, key, proxies, management);
  }

  private static Path readable(SettingReader in, Setting setting) {
    Path path = in.path(setting);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw SettingReader.invalid(setting, path + " (not a readable file)");
    }
    return path;
  }
}
