package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.gateway.Operation;
import io.discs.gateway.auth.Permission;
import io.discs.platform.Role;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Walks the OpenAPI document: every operation is in the route table, none is unprotected but the
 * token endpoint, and every role gets exactly what the table grants (401 without a valid token, 403
 * without the permission, anything else with it).
 */
class AccessMatrixTest {
  private static final String PASSWORD = "a-long-test-password";
  private static TestSystem system;
  private static final Map<Role, String> TOKENS = new EnumMap<>(Role.class);
  private static Map<String, String> forged;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start(Map.of());
    String admin = system.adminToken();
    for (Role role : Role.values()) {
      String name = "matrix-" + role.wireName();
      system.createUser(admin, name, PASSWORD, role.wireName());
      TOKENS.put(role, system.token(name, PASSWORD));
    }
    Vertx vertx = Vertx.vertx();
    forged = ForgedTokens.all(vertx, system.config.dataDir(), TOKENS.get(Role.USER));
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    system.close();
  }

  @Test
  void everyDocumentedOperationIsInTheRouteTableAndOnlyTheTokenEndpointIsPublic() throws Exception {
    List<String[]> documented = apiOperations();
    assertThat(documented).hasSize(Operation.values().length);
    for (String[] operation : documented) {
      Optional<Operation> entry = find(operation);
      assertThat(entry).as(operation[0] + " " + operation[1]).isPresent();
      assertThat(entry.get().permission() == Permission.PUBLIC)
          .as(operation[1])
          .isEqualTo(entry.get() == Operation.ISSUE_TOKEN);
    }
  }

  @Test
  @org.junit.jupiter.api.Tag("security")
  void refusesEveryProtectedOperationWithoutAValidToken() throws Exception {
    int protectedOperations = 0;
    for (String[] operation : apiOperations()) {
      if (find(operation).orElseThrow().permission() == Permission.PUBLIC) {
        continue;
      }
      protectedOperations++;
      assertStatus(operation, null, 401, "no token");
      for (Map.Entry<String, String> token : forged.entrySet()) {
        assertStatus(operation, token.getValue(), 401, token.getKey());
      }
    }
    for (String kind : new java.util.TreeSet<>(forged.keySet())) {
      io.discs.testing.security.SecurityReport.record(
          kind.startsWith("exp as") || kind.startsWith("a lifetime")
              ? "Smaller: exp as a string gives 500; tokens of any lifetime accepted"
              : "Forged tokens",
          "a token with " + kind + " on every protected operation",
          "401",
          "401 on all " + protectedOperations);
    }
  }

  @Test
  void givesEachRoleExactlyWhatTheTableGrants() throws Exception {
    for (String[] operation : apiOperations()) {
      Permission permission = find(operation).orElseThrow().permission();
      if (permission == Permission.PUBLIC) {
        continue;
      }
      for (Role role : Role.values()) {
        // Logging out ends the token it is sent with: that one is made for the purpose.
        String token =
            operation[1].equals("/api/v1/auth/logout")
                ? system.token("matrix-" + role.wireName(), PASSWORD)
                : TOKENS.get(role);
        HttpResponse<Buffer> response = call(operation, token);
        String what =
            role
                + " "
                + operation[0]
                + " "
                + operation[1]
                + " answered "
                + response.statusCode()
                + " "
                + response.bodyAsString();
        if (permission.grantedToAnyOf(List.of(role))) {
          assertThat(response.statusCode()).as(what).isNotIn(401, 403, 405, 500);
        } else {
          assertThat(response.statusCode()).as(what).isEqualTo(403);
          assertThat(response.getHeader("Content-Type"))
              .as(what)
              .isEqualTo("application/problem+json");
        }
      }
    }
  }

  private static void assertStatus(String[] operation, String token, int expected, String what)
      throws Exception {
    HttpResponse<Buffer> response = call(operation, token);
    assertThat(response.statusCode())
        .as(what + ": " + operation[0] + " " + operation[1] + " " + response.bodyAsString())
        .isEqualTo(expected);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
  }

  private static HttpResponse<Buffer> call(String[] operation, String token) throws Exception {
    String path =
        operation[1].replace("{id}", UUID.randomUUID().toString()).replace("{name}", "nobody");
    HttpRequest<Buffer> request =
        system
            .client
            .request(HttpMethod.valueOf(operation[0].toUpperCase(Locale.ROOT)), path)
            .putHeader("Content-Type", "application/json");
    if (token != null) {
      request.putHeader("Authorization", "Bearer " + token);
    }
    return request.sendBuffer(Buffer.buffer("{}")).await(30, TimeUnit.SECONDS);
  }

  private static List<String[]> apiOperations() throws Exception {
    return StandaloneTest.operations().stream()
        .filter(op -> op[1].startsWith("/api/v1/") && !op[1].equals("/api/v1/openapi.yaml"))
        .toList();
  }

  private static Optional<Operation> find(String[] documented) {
    String path = documented[1].substring("/api/v1".length()).replaceAll("\\{(\\w+)}", ":$1");
    HttpMethod method = HttpMethod.valueOf(documented[0].toUpperCase(Locale.ROOT));
    for (Operation operation : Operation.values()) {
      if (operation.method().equals(method) && operation.path().equals(path)) {
        return Optional.of(operation);
      }
    }
    return Optional.empty();
  }
}
