package io.discs.platform.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where PostgreSQL is. Accepts {@code postgresql://user:password@host:port/db} (and the {@code
 * postgres://} and {@code jdbc:postgresql://} spellings); the password never appears in {@link
 * #toString()}.
 */
public record DatabaseUrl(String host, int port, String database, String user, String password) {

  public static DatabaseUrl parse(String text) {
    String uri = text.startsWith("jdbc:") ? text.substring(5) : text;
    URI parsed = URI.create(uri);
    String scheme = parsed.getScheme();
    if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
      throw new IllegalArgumentException("scheme must be postgresql");
    }
    if (parsed.getHost() == null) {
      throw new IllegalArgumentException("no host");
    }
    String path = parsed.getPath() == null ? "" : parsed.getPath().replaceFirst("^/", "");
    String database = path.isEmpty() ? "postgres" : path;
    String user = "postgres";
    String password = "";
    String userInfo = parsed.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
    }
    String query = parsed.getRawQuery();
    if (query != null) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        if (eq < 0) {
          continue;
        }
        String key = pair.substring(0, eq);
        String value = decode(pair.substring(eq + 1));
        if (key.equals("user")) {
          user = value;
        } else if (key.equals("password")) {
          password = value;
        }
      }
    }
    return new DatabaseUrl(
        parsed.getHost(), parsed.getPort() < 0 ? 5432 : parsed.getPort(), database, user, password);
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + new HostPort(host, port) + "/" + database;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "postgresql://" + user + "@" + new HostPort(host, port) + "/" + database;
  }
}
