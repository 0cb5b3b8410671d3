package io.discs.gateway.auth;

import io.discs.platform.Role;
import io.discs.platform.config.SecurityConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Issues and checks ES256 access tokens. Checking pins everything before and after the signature:
 * the header must say ES256 (no {@code none}, no HMAC), and issuer, audience, subject, roles,
 * expiry and issue time must all be present and right, with a small allowance for clock skew.
 */
public final class TokenService {
  public static final String ALGORITHM = "ES256";
  static final int LEEWAY_SECONDS = 30;
  static final String ISSUED_AT_MS = "iat_ms";

  private final JWTAuth jwt;
  private final VerifiedTokens verified = new VerifiedTokens();
  private final SecurityConfig security;

  public TokenService(Vertx vertx, SigningKeys keys, SecurityConfig security) {
    this.security = security;
    JWTAuthOptions options =
        new JWTAuthOptions()
            .addPubSecKey(
                new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(keys.privatePem()))
            .addPubSecKey(
                new PubSecKeyOptions().setAlgorithm(ALGORITHM).setBuffer(keys.publicPem()))
            .setJWTOptions(
                new JWTOptions()
                    .setIssuer(security.issuer())
                    .setAudience(List.of(security.audience()))
                    .setLeeway(LEEWAY_SECONDS));
    this.jwt = JWTAuth.create(vertx, options);
  }

  public String issue(String username, List<Role> roles) {
    JsonObject claims =
        new JsonObject()
            .put("sub", username)
            .put("roles", new JsonArray(roles.stream().map(Role::wireName).toList()))
            .put("jti", UUID.randomUUID().toString())
            // iat counts seconds; a revocation in the same second must still tell before from
            // after.
            .put(ISSUED_AT_MS, System.currentTimeMillis());
    return jwt.generateToken(
        claims,
        new JWTOptions()
            .setAlgorithm(ALGORITHM)
            .setIssuer(security.issuer())
            .setAudience(List.of(security.audience()))
            .setExpiresInSeconds(expiresInSeconds()));
  }

  /** The longest a token can be accepted: its lifetime and the clock-skew allowance. */
  public long lifetimeMs() {
    return (expiresInSeconds() + LEEWAY_SECONDS) * 1000L;
  }

  public int expiresInSeconds() {
    return security.tokenMinutes() * 60;
  }

  /**
   * The verified identity in the token, or a failed future for any token that is not exactly right.
   */
  public Future<Identity> verify(String token) {
    long now = System.currentTimeMillis();
    Optional<Identity> known = verified.find(token, now);
    if (known.isPresent()) {
      return Future.succeededFuture(known.get());
    }
    return verifyOnce(token)
        .onSuccess(identity -> verified.remember(token, identity, identity.expiresAtMs(), now));
  }

  private Future<Identity> verifyOnce(String token) {
    if (!hasPinnedHeader(token)) {
      return Future.failedFuture(new InvalidToken());
    }
    Future<io.vertx.ext.auth.User> authenticated;
    try {
      authenticated = jwt.authenticate(new TokenCredentials(token));
    } catch (RuntimeException malformedClaims) {
      // vertx-auth-jwt throws, rather than fails, on claims of the wrong type (a string "exp").
      return Future.failedFuture(new InvalidToken());
    }
    return authenticated
        .recover(failure -> Future.failedFuture(new InvalidToken()))
        // The verified payload, with iat and exp, is kept under attributes, not the principal.
        .compose(
            user -> checkClaims(user.attributes().getJsonObject("accessToken", new JsonObject())));
  }

  private Future<Identity> checkClaims(JsonObject claims) {
    long now = Instant.now().getEpochSecond();
    Long exp = number(claims, "exp");
    Long iat = number(claims, "iat");
    Object aud = claims.getValue("aud");
    boolean audienceOk =
        security.audience().equals(aud)
            || (aud instanceof JsonArray array && array.contains(security.audience()));
    String subject = claims.getString("sub");
    Object roleClaim = claims.getValue("roles");
    if (exp == null
        || iat == null
        || exp + LEEWAY_SECONDS < now
        || iat - LEEWAY_SECONDS > now
        // A token living longer than this gateway issues them was not made by it.
        || exp - iat > expiresInSeconds() + LEEWAY_SECONDS
        || !security.issuer().equals(claims.getString("iss"))
        || !audienceOk
        || subject == null
        || subject.isEmpty()
        || !(claims.getValue("jti") instanceof String jti)
        || jti.isEmpty()
        || jti.length() > 64
        || !(roleClaim instanceof JsonArray roleArray)) {
      return Future.failedFuture(new InvalidToken());
    }
    List<Role> roles = new ArrayList<>();
    for (Object name : roleArray) {
      roles.add(Role.fromWire(String.valueOf(name)).orElse(null));
    }
    if (roles.isEmpty() || roles.contains(null)) {
      return Future.failedFuture(new InvalidToken());
    }
    Long issuedAtMs = number(claims, ISSUED_AT_MS);
    return Future.succeededFuture(
        new Identity(
            subject,
            roles,
            issuedAtMs != null ? issuedAtMs : iat * 1000,
            (exp + LEEWAY_SECONDS) * 1000,
            claims.getString("jti")));
  }

  /** A numeric claim, or null when absent or of another type (a string "exp" is not a date). */
  private static Long number(JsonObject claims, String name) {
    return claims.getValue(name) instanceof Number n ? n.longValue() : null;
  }

  private static boolean hasPinnedHeader(String token) {
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[2].isEmpty()) {
      return false;
    }
    try {
      JsonObject header =
          new JsonObject(
              new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
      Object typ = header.getValue("typ");
      return ALGORITHM.equals(header.getString("alg"))
          && (typ == null || "JWT".equals(typ))
          && header.getValue("crit") == null;
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      return false;
    }
  }

  /** Who a valid token speaks for. */
  /**
   * @param expiresAtMs when the token stops being accepted, leeway included
   */
  public record Identity(
      String username, List<Role> roles, long issuedAtMs, long expiresAtMs, String tokenId) {
    public Identity {
      roles = List.copyOf(roles);
    }
  }

  /** Deliberately says nothing about why: the client only learns that the token is not accepted. */
  public static final class InvalidToken extends RuntimeException {
    InvalidToken() {
      super("invalid token", null, false, false);
    }
  }
}
