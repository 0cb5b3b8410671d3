package io.discs.platform.config;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address is /32 or
 * /128.
 */
public record Cidr(byte[] network, int prefix) {

  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  public static Cidr parse(String text) {
    String[] parts = text.trim().split("/", 2);
    byte[] address = literal(parts[0]);
    if (address == null) {
      throw new IllegalArgumentException("not an address");
    }
    try {
      int bits = address.length * 8;
      int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("bad prefix");
      }
      return new Cidr(address, prefix);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a CIDR block", e);
    }
  }

  /** Whether {@code address} (a literal, as a socket or a forwarding header gives it) lies here. */
  public boolean contains(String address) {
    byte[] other = address == null ? null : literal(address.split("%", 2)[0]);
    if (other == null || other.length != network.length) {
      return false;
    }
    int drop = other.length * 8 - prefix;
    return new BigInteger(1, other)
        .shiftRight(drop)
        .equals(new BigInteger(1, network).shiftRight(drop));
  }

  /** Whether {@code text} is an IP address literal (never looked up as a name). */
  public static boolean isLiteral(String text) {
    return text != null && literal(text) != null;
  }

  /**
   * The bytes of an IPv4 dotted quad or an IPv6 literal, or null. Never a name: InetAddress would
   * look a name up in DNS ("cafe" is all hex digits), and this runs on event loops with text from
   * request headers.
   */
  static byte[] literal(String text) {
    Matcher v4 = IPV4.matcher(text);
    if (v4.matches()) {
      byte[] bytes = new byte[4];
      for (int i = 0; i < 4; i++) {
        int octet = Integer.parseInt(v4.group(i + 1));
        if (octet > 255) {
          return null;
        }
        bytes[i] = (byte) octet;
      }
      return bytes;
    }
    if (!IPV6.matcher(text).matches()) {
      return null;
    }
    try {
      // With a colon in it, InetAddress parses an IPv6 literal and never asks DNS.
      return InetAddress.getByName(text).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      return "?/" + prefix;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(network) * 31 + prefix;
  }
}
