package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.testing.DiscImages;
import io.discs.testing.TempDirs;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A request's id reaches the audit rows of what it caused: one the gateway writes itself (a user
 * created) and one a service writes after a call over the event bus (a session started).
 */
class RequestIdTest {

  @Test
  void theAuditRowsOfARequestCarryItsId() throws Exception {
    try (TestSystem system = TestSystem.start(Map.of())) {
      String admin = system.adminToken();
      HttpResponse<Buffer> created =
          system
              .client
              .post("/api/v1/users")
              .putHeader("X-Request-Id", "r-user-1")
              .bearerTokenAuthentication(admin)
              .sendJsonObject(
                  new JsonObject()
                      .put("username", "rita")
                      .put("password", "rita-password-long")
                      .put("roles", new JsonArray().add("user")))
              .await(30, TimeUnit.SECONDS);
      assertThat(created.statusCode()).isEqualTo(201);
      assertThat(created.getHeader("X-Request-Id")).isEqualTo("r-user-1");

      JsonObject image =
          system.uploadImage(
              admin,
              "rid.iso",
              DiscImages.iso9660(
                  TempDirs.create("rid").resolve("rid.iso"), "RID", 1 << 20, false, 9));
      HttpResponse<Buffer> started =
          system
              .client
              .post("/api/v1/sessions")
              .putHeader("X-Request-Id", "r-session-1")
              .bearerTokenAuthentication(system.token("rita", "rita-password-long"))
              .sendJsonObject(
                  new JsonObject()
                      .put("imageId", image.getString("id"))
                      .put("initiatorIqn", "iqn.2026-01.test.discs:rid"))
              .await(60, TimeUnit.SECONDS);
      assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(201);

      assertThat(requestIdOf(system, admin, "user.created")).isEqualTo("r-user-1");
      assertThat(requestIdOf(system, admin, "session.started")).isEqualTo("r-session-1");
    }
  }

  /** The audit log is written after the answer: wait a moment for the row. */
  private static String requestIdOf(TestSystem system, String admin, String type) {
    return await("an audit row of " + type)
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                system
                    .get("/api/v1/audit?type=" + type + "&limit=10", admin)
                    .bodyAsJsonObject()
                    .getJsonArray("items"),
            items -> !items.isEmpty())
        .getJsonObject(0)
        .getJsonObject("details")
        .getString("requestId");
  }
}
