package io.discs.platform.config;

/** An address and port, as in {@code 192.0.2.10:3260} or {@code [2001:db8::1]:3260}. */
public record HostPort(String host, int port) {

  public static HostPort parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("not host:port");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isBlank() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == '@')) {
      throw new IllegalArgumentException("bad host");
    }
    int port = Integer.parseInt(text.substring(colon + 1));
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("bad port");
    }
    return new HostPort(host, port);
  }

  @Override
  public String toString() {
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }
}
