package io.discs.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.discs.platform.Role;
import io.discs.platform.config.SecurityConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class TokenServiceTest {
  private static final SecurityConfig SECURITY =
      new SecurityConfig(null, null, "discs", "discs-api", 15, 5, 300, null, null);

  @Test
  void issuesAnEs256TokenWithEveryRequiredClaim(Vertx vertx) throws Exception {
    TokenService tokens = new TokenService(vertx, SigningKeys.generate(), SECURITY);

    String token = tokens.issue("alice", List.of(Role.OPERATOR, Role.USER));

    String[] parts = token.split("\\.");
    JsonObject header = decode(parts[0]);
    JsonObject claims = decode(parts[1]);
    assertThat(header.getString("alg")).isEqualTo("ES256");
    assertThat(claims.getString("iss")).isEqualTo("discs");
    assertThat(claims.getValue("aud").toString()).contains("discs-api");
    assertThat(claims.getString("sub")).isEqualTo("alice");
    assertThat(claims.getJsonArray("roles").getList()).containsExactly("operator", "user");
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(15 * 60L);
    assertThat(claims.getString("jti")).isNotBlank();

    TokenService.Identity identity = tokens.verify(token).await(10, TimeUnit.SECONDS);
    assertThat(identity.username()).isEqualTo("alice");
    assertThat(identity.roles()).containsExactly(Role.OPERATOR, Role.USER);
  }

  @Test
  void refusesATokenSignedByAnotherKey(Vertx vertx) {
    TokenService mine = new TokenService(vertx, SigningKeys.generate(), SECURITY);
    TokenService theirs = new TokenService(vertx, SigningKeys.generate(), SECURITY);

    String foreign = theirs.issue("mallory", List.of(Role.ADMIN));

    assertThatThrownBy(() -> mine.verify(foreign).await(10, TimeUnit.SECONDS))
        .isInstanceOf(TokenService.InvalidToken.class);
  }

  private static JsonObject decode(String part) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
  }
}
