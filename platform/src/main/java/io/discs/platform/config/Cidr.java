package io.discs.platform.config;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address is /32 or
 * /128.
 */
public record Cidr(byte[] network, int prefix) {

  public static Cidr parse(String text) {
    String[] parts = text.trim().split("/", 2);
    if (!parts[0].matches("[0-9a-fA-F:.]+")) {
      // Names would be resolved through DNS: only literal addresses are accepted.
      throw new IllegalArgumentException("not an address");
    }
    try {
      byte[] address = InetAddress.getByName(parts[0]).getAddress();
      int bits = address.length * 8;
      int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : bits;
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("bad prefix");
      }
      return new Cidr(address, prefix);
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("not a CIDR block", e);
    }
  }

  /** Whether {@code address} (a literal, as a socket reports it) lies in this block. */
  public boolean contains(String address) {
    if (address == null || !address.matches("[0-9a-fA-F:.%a-zA-Z]+")) {
      return false;
    }
    try {
      byte[] other = InetAddress.getByName(address.split("%", 2)[0]).getAddress();
      if (other.length != network.length) {
        return false;
      }
      int drop = other.length * 8 - prefix;
      return new BigInteger(1, other)
          .shiftRight(drop)
          .equals(new BigInteger(1, network).shiftRight(drop));
    } catch (UnknownHostException e) {
      return false;
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
