package io.discs.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.platform.RequestIds;
import io.discs.platform.launch.ServiceContext;
import io.discs.testing.TestContexts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The gateway with no services behind it: alive, not ready, and every error still problem+json. */
@ExtendWith(VertxExtension.class)
class GatewayAloneTest {
  private static final String ADMIN_PASSWORD = "gateway-alone-admin";

  static {
    // VertxExtension builds its instance before any test code runs; the request-id local must be
    // registered first, or the first request's RequestLog fails (it passed only after other tests).
    RequestIds.register();
  }

  private WebClient client;

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    ServiceContext context =
        TestContexts.fresh(vertx, Map.of("DISCS_ADMIN_PASSWORD", ADMIN_PASSWORD))
            .await(30, TimeUnit.SECONDS);
    vertx.deployVerticle(new GatewayVerticle(context)).await(10, TimeUnit.SECONDS);
    client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setDefaultHost("127.0.0.1")
                .setDefaultPort(context.config().httpPort()));
  }

  @Test
  void isAliveButNotReadyWhileNoServiceAnswers() throws Exception {
    assertThat(get("/health").bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));

    HttpResponse<Buffer> ready = get("/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.getHeader("Content-Type")).isEqualTo("application/problem+json");
    JsonObject checks = ready.bodyAsJsonObject().getJsonObject("checks");
    assertThat(checks.getString("database")).isEqualTo("UP");
    assertThat(checks.getString("image-service")).isEqualTo("DOWN");
  }

  @Test
  void answersACallToAnAbsentServiceWithA503Problem() throws Exception {
    String token =
        client
            .post("/api/v1/auth/token")
            .sendJsonObject(
                new JsonObject().put("username", "admin").put("password", ADMIN_PASSWORD))
            .await(30, TimeUnit.SECONDS)
            .bodyAsJsonObject()
            .getString("access_token");

    HttpResponse<Buffer> response =
        client
            .get("/api/v1/images")
            .bearerTokenAuthentication(token)
            .send()
            .await(10, TimeUnit.SECONDS);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getString("detail"))
        .doesNotContain("discs.image-service");
  }

  @Test
  void answersUnknownRoutesAndWrongMethodsWithProblems() throws Exception {
    HttpResponse<Buffer> missing = get("/api/v1/no-such-thing");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.bodyAsJsonObject().fieldNames())
        .contains("type", "title", "status", "detail");

    HttpResponse<Buffer> wrongMethod =
        client.put("/api/v1/images").send().await(10, TimeUnit.SECONDS);
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.getHeader("Content-Type")).isEqualTo("application/problem+json");
  }

  @Test
  void keepsTheConnectionAfterAnErrorUnlessABodyIsStillComing() throws Exception {
    // A keep-alive client must not lose its connection (or race its answer) over a 404.
    HttpResponse<Buffer> missing = get("/api/v1/no-such-thing");
    assertThat(missing.getHeader("Connection")).isNull();
    HttpResponse<Buffer> unauthorized =
        client.head("/api/v1/uploads/some-upload").send().await(10, TimeUnit.SECONDS);
    assertThat(unauthorized.statusCode()).isEqualTo(401);
    assertThat(unauthorized.getHeader("Connection")).isNull();

    // A refused body is not read: the connection cannot serve another request after it.
    HttpResponse<Buffer> refused =
        client
            .post("/api/v1/images")
            .sendBuffer(Buffer.buffer(new byte[64 * 1024]))
            .await(10, TimeUnit.SECONDS);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.getHeader("Connection")).isEqualTo("close");
  }

  @Test
  void servesTheOpenApiDocumentAndSecurityHeaders() throws Exception {
    HttpResponse<Buffer> response = get("/api/v1/openapi.yaml");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsString())
        .startsWith("openapi: 3.1.0")
        .contains("/api/v1/sessions/{id}/heartbeat:");
    assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
  }

  private HttpResponse<Buffer> get(String path) throws Exception {
    return client.get(path).send().await(10, TimeUnit.SECONDS);
  }
}
