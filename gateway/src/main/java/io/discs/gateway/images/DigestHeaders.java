package io.discs.gateway.images;

import io.discs.platform.error.DomainErrors;
import io.vertx.core.MultiMap;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SHA-256 a client announces for its upload: {@code Repr-Digest: sha-256=:<base64>:} (RFC 9530,
 * other algorithms in the same header are ignored) or {@code X-Checksum-Sha256: <hex>}. A malformed
 * header is a 400; two headers that disagree are a 400.
 */
public final class DigestHeaders {
  private static final Pattern MEMBER =
      Pattern.compile("\\s*([a-z0-9-]+)\\s*=\\s*:([A-Za-z0-9+/=]*):\\s*");
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");

  private DigestHeaders() {}

  /** Lowercase hex, or null when the client announced nothing. */
  public static String expectedSha256(MultiMap headers) {
    String fromRepr =
        headers.contains("Repr-Digest")
            ? reprDigest(String.join(",", headers.getAll("Repr-Digest")))
            : null;
    String fromHex =
        headers.contains("X-Checksum-Sha256") ? hex(headers.get("X-Checksum-Sha256").trim()) : null;
    if (fromRepr != null && fromHex != null && !fromRepr.equals(fromHex)) {
      throw DomainErrors.badRequest("Repr-Digest and X-Checksum-Sha256 announce different digests");
    }
    return fromRepr != null ? fromRepr : fromHex;
  }

  static String reprDigest(String value) {
    String sha256 = null;
    for (String member : value.split(",")) {
      Matcher matcher = MEMBER.matcher(member);
      if (!matcher.matches()) {
        throw DomainErrors.badRequest("Repr-Digest must be a list of algorithm=:base64: members");
      }
      if (matcher.group(1).equals("sha-256")) {
        byte[] digest;
        try {
          digest = Base64.getDecoder().decode(matcher.group(2));
        } catch (IllegalArgumentException e) {
          throw DomainErrors.badRequest("Repr-Digest sha-256 is not valid base64");
        }
        if (digest.length != 32) {
          throw DomainErrors.badRequest(
              "Repr-Digest sha-256 must be 32 bytes, got " + digest.length);
        }
        sha256 = HexFormat.of().formatHex(digest);
      }
    }
    if (sha256 == null) {
      throw DomainErrors.badRequest(
          "Repr-Digest must include sha-256, the one algorithm discs checks");
    }
    return sha256;
  }

  static String hex(String value) {
    if (!HEX.matcher(value).matches()) {
      throw DomainErrors.badRequest("X-Checksum-Sha256 must be 64 hexadecimal digits");
    }
    return value.toLowerCase(Locale.ROOT);
  }
}
