package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.testing.DiscImages;
import io.discs.testing.TempDirs;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the console needs of the API beyond what the companion did: people's roles and passwords
 * changed by an admin, sessions paged and filtered, everyone's seen and ended by operators, the
 * images' use, and the nodes.
 */
class ConsoleApiTest {
  private static final String PASSWORD = "a long enough password";
  private TestSystem system;

  @AfterEach
  void stop() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void anAdminChangesRolesAndPasswordsAndTheOldTokensEnd() throws Exception {
    system = TestSystem.start(Map.of());
    String admin = system.adminToken();
    system.createUser(admin, "uma", PASSWORD, "user");
    String before = system.token("uma", PASSWORD);

    assertThat(patch(admin, "uma", new JsonObject().put("roles", List.of("operator"))).statusCode())
        .isEqualTo(204);
    assertThat(system.get("/api/v1/images", before).statusCode()).isEqualTo(401);
    JsonArray users = system.get("/api/v1/users", admin).bodyAsJsonObject().getJsonArray("items");
    assertThat(users.stream().map(JsonObject.class::cast))
        .anySatisfy(
            u -> {
              assertThat(u.getString("username")).isEqualTo("uma");
              assertThat(u.getJsonArray("roles")).containsExactly("operator");
            });

    String operator = system.token("uma", PASSWORD);
    assertThat(
            patch(admin, "uma", new JsonObject().put("password", "another long password"))
                .statusCode())
        .isEqualTo(204);
    assertThat(system.get("/api/v1/images", operator).statusCode()).isEqualTo(401);
    assertThat(system.login("uma", PASSWORD).statusCode()).isEqualTo(401);
    assertThat(system.login("uma", "another long password").statusCode()).isEqualTo(200);

    HttpResponse<Buffer> lastAdmin =
        patch(admin, "admin", new JsonObject().put("roles", List.of("user")));
    assertThat(lastAdmin.statusCode()).isEqualTo(409);
    assertThat(lastAdmin.bodyAsJsonObject().getString("detail")).contains("last admin");
    assertThat(patch(admin, "nobody", new JsonObject().put("roles", List.of("user"))).statusCode())
        .isEqualTo(404);
    HttpResponse<Buffer> short_ = patch(admin, "uma", new JsonObject().put("password", "short"));
    assertThat(short_.statusCode()).isEqualTo(400);
    assertThat(patch(admin, "uma", new JsonObject()).statusCode()).isEqualTo(400);
    String user = system.token("uma", "another long password");
    assertThat(patch(user, "uma", new JsonObject().put("roles", List.of("admin"))).statusCode())
        .isEqualTo(403);
  }

  @Test
  void operatorsSeeEveryonesSessionsPagedAndEndThemWithTheirName() throws Exception {
    system = TestSystem.start(Map.of());
    String admin = system.adminToken();
    system.createUser(admin, "uma", PASSWORD, "user");
    system.createUser(admin, "vera", PASSWORD, "user");
    system.createUser(admin, "olga", PASSWORD, "operator");
    Path dir = TempDirs.create("console-api");
    JsonObject image =
        system.uploadImage(
            admin,
            "paged.iso",
            DiscImages.iso9660(dir.resolve("p.iso"), "PAGED", 2 << 20, false, 9));
    String uma = system.token("uma", PASSWORD);
    String vera = system.token("vera", PASSWORD);
    String olga = system.token("olga", PASSWORD);
    String first = start(uma, image.getString("id"), "iqn.2026-12.test:one");
    start(uma, image.getString("id"), "iqn.2026-12.test:two");
    start(vera, image.getString("id"), "iqn.2026-12.test:three");

    assertThat(items("/api/v1/sessions", uma)).hasSize(2);
    assertThat(items("/api/v1/sessions", olga)).hasSize(3);
    JsonArray page = items("/api/v1/sessions?limit=2", olga);
    assertThat(page).hasSize(2);
    assertThat(items("/api/v1/sessions?limit=2&offset=2", olga)).hasSize(1);
    assertThat(page.getJsonObject(0).getString("lastHeartbeatAt")).isNotNull();
    assertThat(items("/api/v1/sessions?state=ENDED", olga)).isEmpty();
    assertThat(system.get("/api/v1/sessions?state=GONE", olga).statusCode()).isEqualTo(400);
    assertThat(system.get("/api/v1/sessions?limit=0", olga).statusCode()).isEqualTo(400);

    JsonObject listed = items("/api/v1/images?include=activeSessions", olga).getJsonObject(0);
    assertThat(listed.getLong("activeSessions")).isEqualTo(3);
    assertThat(items("/api/v1/images", olga).getJsonObject(0).containsKey("activeSessions"))
        .isFalse();

    HttpResponse<Buffer> seen = system.get("/api/v1/sessions/" + first, olga);
    assertThat(seen.statusCode()).isEqualTo(200);
    assertThat(seen.bodyAsJsonObject().containsKey("chap"))
        .as("CHAP is the owner's only")
        .isFalse();
    assertThat(
            system
                .client
                .delete("/api/v1/sessions/" + first)
                .bearerTokenAuthentication(vera)
                .send()
                .await(30, TimeUnit.SECONDS)
                .statusCode())
        .as("another user may not end it")
        .isEqualTo(404);
    assertThat(
            system
                .client
                .delete("/api/v1/sessions/" + first)
                .bearerTokenAuthentication(olga)
                .send()
                .await(30, TimeUnit.SECONDS)
                .statusCode())
        .isEqualTo(204);
    JsonObject ended = system.get("/api/v1/sessions/" + first, uma).bodyAsJsonObject();
    assertThat(ended.getString("state")).isEqualTo("ENDED");
    assertThat(ended.getString("reason")).isEqualTo("ended by olga");
    assertThat(items("/api/v1/sessions?state=ENDED", olga)).hasSize(1);
    assertThat(
            system
                .client
                .post(
                    "/api/v1/sessions/"
                        + items("/api/v1/sessions?state=ACTIVE", vera)
                            .getJsonObject(0)
                            .getString("id")
                        + "/heartbeat")
                .bearerTokenAuthentication(olga)
                .send()
                .await(30, TimeUnit.SECONDS)
                .statusCode())
        .as("heartbeats stay the owner's")
        .isEqualTo(404);

    // A node announces itself on a period: the gateway knows it from its next presence.
    JsonObject node =
        org.awaitility.Awaitility.await("the target node with its two targets")
            .atMost(java.time.Duration.ofSeconds(30))
            .pollInterval(java.time.Duration.ofMillis(500))
            .until(
                () ->
                    system
                        .get("/api/v1/nodes", olga)
                        .bodyAsJsonObject()
                        .getJsonArray("targetNodes")
                        .stream()
                        .map(JsonObject.class::cast)
                        .filter(n -> n.getLong("targets") == 2)
                        .findFirst()
                        .orElse(null),
                java.util.Objects::nonNull);
    assertThat(node.getString("state")).isEqualTo("serving");
    assertThat(node.getString("portal")).isNotBlank();
    assertThat(system.get("/api/v1/nodes", uma).statusCode()).isEqualTo(403);
  }

  private HttpResponse<Buffer> patch(String token, String user, JsonObject body) throws Exception {
    return system
        .client
        .patch("/api/v1/users/" + user)
        .bearerTokenAuthentication(token)
        .sendJsonObject(body)
        .await(30, TimeUnit.SECONDS);
  }

  private String start(String token, String imageId, String initiator) throws Exception {
    HttpResponse<Buffer> started =
        system
            .client
            .post("/api/v1/sessions")
            .bearerTokenAuthentication(token)
            .sendJsonObject(new JsonObject().put("imageId", imageId).put("initiatorIqn", initiator))
            .await(60, TimeUnit.SECONDS);
    assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(201);
    return started.bodyAsJsonObject().getString("id");
  }

  private JsonArray items(String path, String token) throws Exception {
    return system.items(path, token);
  }
}
