package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole system in one JVM, driven over HTTP as an operator's tools would. */
class StandaloneTest {
  private static TestSystem system;
  private static WebClient client;
  private static String admin;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start(Map.of());
    client = system.client;
    admin = system.adminToken();
  }

  @AfterAll
  static void stop() throws Exception {
    system.close();
  }

  @Test
  void isReadyWhenTheDatabaseAndEveryServiceAnswer() throws Exception {
    HttpResponse<Buffer> ready = send(HttpMethod.GET, "/ready");

    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject().getJsonObject("checks").getMap())
        .containsOnlyKeys(
            "database", "image-service", "target-service", "session-service", "audit-service")
        .allSatisfy((k, v) -> assertThat(v).isEqualTo("UP"));
  }

  @Test
  void exposesJvmVertxHttpEventBusAndPoolMetrics() throws Exception {
    send(HttpMethod.GET, "/api/v1/images");

    String metrics = send(HttpMethod.GET, "/metrics").bodyAsString();

    assertThat(metrics)
        .contains(
            "jvm_memory_used_bytes",
            "jvm_gc_",
            "vertx_http_server_requests_total",
            "vertx_eventbus_",
            "vertx_pool_");
  }

  @Test
  void routesEveryOperationInTheOpenApiDocument() throws Exception {
    List<String[]> operations = operations();
    assertThat(operations).hasSizeGreaterThan(20);

    for (String[] operation : operations) {
      HttpMethod method = HttpMethod.valueOf(operation[0].toUpperCase(Locale.ROOT));
      String path =
          operation[1].replace("{id}", UUID.randomUUID().toString()).replace("{name}", "nobody");
      HttpResponse<Buffer> response =
          client
              .request(method, path)
              .putHeader("Content-Type", "application/json")
              // Logging out ends the token it is sent with: that one is made for the purpose.
              .bearerTokenAuthentication(
                  operation[1].equals("/api/v1/auth/logout") ? system.adminToken() : admin)
              .sendBuffer(Buffer.buffer("{}"))
              .await(10, TimeUnit.SECONDS);
      String what =
          method
              + " "
              + path
              + " answered "
              + response.statusCode()
              + " "
              + response.bodyAsString();
      assertThat(response.statusCode()).as(what).isNotIn(401, 403, 405, 500);
      if (HttpMethod.HEAD.equals(method)) {
        continue;
      }
      if (response.statusCode() == 404) {
        assertThat(response.bodyAsJsonObject().getString("detail"))
            .as(what)
            .isNotEqualTo("no such resource");
      }
      if (response.statusCode() >= 400) {
        assertThat(response.getHeader("Content-Type"))
            .as(what)
            .isEqualTo("application/problem+json");
      }
    }
  }

  @Test
  void turnsMalformedInputIntoBadRequestProblems() throws Exception {
    HttpResponse<Buffer> badLimit = send(HttpMethod.GET, "/api/v1/images?limit=lots");
    assertThat(badLimit.statusCode()).isEqualTo(400);
    assertThat(badLimit.bodyAsJsonObject().getString("detail")).contains("limit");

    HttpResponse<Buffer> badSince = send(HttpMethod.GET, "/api/v1/audit?since=yesterday");
    assertThat(badSince.statusCode()).isEqualTo(400);

    HttpResponse<Buffer> notJson =
        client
            .post("/api/v1/targets")
            .bearerTokenAuthentication(admin)
            .putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer("{not json"))
            .await(10, TimeUnit.SECONDS);
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.getHeader("Content-Type")).isEqualTo("application/problem+json");

    for (JsonObject wrongTypes :
        List.of(
            new JsonObject().put("imageId", 42).put("initiatorIqn", "iqn.2026-01.a:b"),
            new JsonObject().put("imageId", "x").put("initiatorIqn", List.of("iqn.2026-01.a:b")),
            new JsonObject()
                .put("imageId", "x")
                .put("initiatorIqn", "iqn.2026-01.a:b")
                .put("mutualChap", "yes"))) {
      HttpResponse<Buffer> response =
          client
              .post("/api/v1/targets")
              .bearerTokenAuthentication(admin)
              .sendJsonObject(wrongTypes)
              .await(10, TimeUnit.SECONDS);
      assertThat(response.statusCode()).as(wrongTypes.encode()).isEqualTo(400);
      assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    }

    HttpResponse<Buffer> tooBig =
        client
            .post("/api/v1/targets")
            .bearerTokenAuthentication(admin)
            .putHeader("Content-Type", "application/json")
            .sendBuffer(Buffer.buffer("{\"pad\":\"" + "x".repeat(100_000) + "\"}"))
            .await(10, TimeUnit.SECONDS);
    assertThat(tooBig.statusCode()).isEqualTo(413);
  }

  @Test
  void listsDiscoveryWithTheConfiguredPortal() throws Exception {
    HttpResponse<Buffer> discovery = send(HttpMethod.GET, "/api/v1/discovery");

    assertThat(discovery.statusCode()).isEqualTo(200);
    assertThat(discovery.bodyAsJsonObject().getJsonArray("portals").getList())
        .containsExactly(system.config.targets().portal().toString());
  }

  private static HttpResponse<Buffer> send(HttpMethod method, String path) throws Exception {
    return client
        .request(method, path)
        .bearerTokenAuthentication(admin)
        .send()
        .await(10, TimeUnit.SECONDS);
  }

  /**
   * [method, path] of every operation, read from the served document's layout (paths at two spaces,
   * methods at four).
   */
  static List<String[]> operations() throws IOException {
    String yaml;
    try (InputStream in =
        StandaloneTest.class.getResourceAsStream("/io/discs/gateway/openapi.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String paths = yaml.substring(yaml.indexOf("\npaths:\n"));
    Matcher matcher =
        Pattern.compile(
                "^  (/\\S+):$|^    (get|post|put|delete|patch|head|options):", Pattern.MULTILINE)
            .matcher(paths);
    List<String[]> operations = new ArrayList<>();
    String current = null;
    while (matcher.find()) {
      if (matcher.group(1) != null) {
        current = matcher.group(1);
      } else {
        operations.add(new String[] {matcher.group(2), current});
      }
    }
    return operations;
  }
}
