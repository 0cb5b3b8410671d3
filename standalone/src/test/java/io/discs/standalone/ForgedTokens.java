package io.discs.standalone;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Tokens an attacker might present, each wrong in exactly one way. */
final class ForgedTokens {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private ForgedTokens() {}

  static Map<String, String> all(Vertx vertx, Path dataDir, String validUserToken)
      throws Exception {
    String privatePem = Files.readString(dataDir.resolve("keys/jwt-es256-private.pem"));
    String publicPem = Files.readString(dataDir.resolve("keys/jwt-es256-public.pem"));
    JWTAuth realKey = signer(vertx, privatePem);
    JWTAuth otherKey = signer(vertx, otherPrivatePem());
    long now = Instant.now().getEpochSecond();

    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put("garbage", "not-a-token");
    tokens.put("empty", "");
    tokens.put(
        "alg none",
        B64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + payload(claims(now - 10, now + 600))
            + ".");
    tokens.put("HS256 keyed with the public key", hmac(claims(now - 10, now + 600), publicPem));
    tokens.put("expired", sign(realKey, claims(now - 7200, now - 3600)));
    tokens.put("not yet valid", sign(realKey, claims(now + 3600, now + 7200)));
    tokens.put("wrong key", sign(otherKey, claims(now - 10, now + 600)));
    tokens.put("wrong issuer", sign(realKey, claims(now - 10, now + 600).put("iss", "evil")));
    tokens.put(
        "wrong audience", sign(realKey, claims(now - 10, now + 600).put("aud", "other-api")));
    tokens.put(
        "unknown role",
        sign(realKey, claims(now - 10, now + 600).put("roles", new JsonArray().add("root"))));
    tokens.put("tampered roles", tamper(validUserToken));
    tokens.put(
        "exp as a string",
        sign(realKey, claims(now - 10, now + 600).put("exp", String.valueOf(now + 600))));
    tokens.put(
        "a lifetime beyond the configured maximum (10 days)",
        sign(realKey, claims(now - 10, now + 10 * 24 * 3600)));
    return tokens;
  }

  private static JsonObject claims(long iat, long exp) {
    return new JsonObject()
        .put("iss", "discs")
        .put("aud", "discs-api")
        .put("sub", "admin")
        .put("roles", new JsonArray().add("admin"))
        .put("jti", UUID.randomUUID().toString())
        .put("iat", iat)
        .put("exp", exp);
  }

  private static JWTAuth signer(Vertx vertx, String privatePem) {
    return JWTAuth.create(
        vertx,
        new JWTAuthOptions()
            .addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setBuffer(privatePem)));
  }

  private static String sign(JWTAuth signer, JsonObject claims) {
    return signer.generateToken(
        claims, new JWTOptions().setAlgorithm("ES256").setNoTimestamp(true));
  }

  private static String payload(JsonObject claims) {
    return B64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
  }

  private static String hmac(JsonObject claims, String secret) throws Exception {
    String signingInput =
        B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + payload(claims);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return signingInput
        + "."
        + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
  }

  /** A real user's token with its roles rewritten to admin and the original signature kept. */
  private static String tamper(String token) {
    String[] parts = token.split("\\.");
    JsonObject claims =
        new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    claims.put("roles", new JsonArray(List.of("admin")));
    return parts[0] + "." + payload(claims) + "." + parts[2];
  }

  private static String otherPrivatePem() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    byte[] der = generator.generateKeyPair().getPrivate().getEncoded();
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(der)
        + "\n-----END PRIVATE KEY-----\n";
  }
}
