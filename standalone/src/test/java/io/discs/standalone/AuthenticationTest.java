package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Logins, users, throttling and the audit trail they leave, through the API. */
class AuthenticationTest {
  private static final String PASSWORD = "alice-has-a-long-one";
  private TestSystem system;

  @BeforeEach
  void start() throws Exception {
    system =
        TestSystem.start(Map.of("DISCS_LOGIN_MAX_FAILURES", "3", "DISCS_LOGIN_LOCK_SECONDS", "2"));
  }

  @AfterEach
  void stop() throws Exception {
    system.close();
  }

  @Test
  void answersTheTokenShapeOfTheContract() throws Exception {
    JsonObject body = system.login("admin", TestSystem.ADMIN_PASSWORD).bodyAsJsonObject();

    assertThat(body.getString("token_type")).isEqualTo("Bearer");
    assertThat(body.getInteger("expires_in")).isEqualTo(900);
    assertThat(body.getString("access_token")).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
  }

  @Test
  void refusesAWrongPasswordAndAnUnknownUserAlike() throws Exception {
    HttpResponse<Buffer> wrong = system.login("admin", "not-the-password");
    HttpResponse<Buffer> unknown = system.login("nobody-here", "not-the-password");

    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(wrong.bodyAsJsonObject().getString("detail"))
        .isEqualTo(unknown.bodyAsJsonObject().getString("detail"));
  }

  @Test
  void locksAUserAfterRepeatedFailuresAndLetsThemInAfterTheLock() throws Exception {
    String admin = system.adminToken();
    system.createUser(admin, "alice", PASSWORD, "user");
    for (int i = 0; i < 3; i++) {
      assertThat(system.login("alice", "wrong-password-" + i).statusCode()).isEqualTo(401);
    }

    HttpResponse<Buffer> locked = system.login("alice", PASSWORD);
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(locked.getHeader("Content-Type")).isEqualTo("application/problem+json");
    int retryAfter = Integer.parseInt(locked.getHeader("Retry-After"));
    assertThat(retryAfter).isBetween(1, 2);

    // Asked again once Retry-After has passed, the right password gets in.
    await()
        .pollDelay(Duration.ofSeconds(retryAfter))
        .pollInterval(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(retryAfter + 5))
        .until(() -> system.login("alice", PASSWORD).statusCode(), status -> status == 200);
  }

  @Test
  @Tag("security")
  void concurrentGuessesForOneNameCannotOutrunTheLock() throws Exception {
    String admin = system.adminToken();
    system.createUser(admin, "bert", PASSWORD, "user");
    List<io.vertx.core.Future<HttpResponse<Buffer>>> guesses = new java.util.ArrayList<>();
    for (int i = 0; i < 30; i++) {
      guesses.add(
          system
              .client
              .post("/api/v1/auth/token")
              .sendJsonObject(
                  new JsonObject().put("username", "bert").put("password", "wrong-guess-" + i)));
    }
    io.vertx.core.Future.join(guesses).await(60, TimeUnit.SECONDS);
    long refused = guesses.stream().filter(g -> g.result().statusCode() == 401).count();
    long locked = guesses.stream().filter(g -> g.result().statusCode() == 429).count();

    io.discs.testing.security.SecurityReport.record(
        "The login throttle races",
        "30 concurrent wrong logins for one name (limit 3)",
        "at most 3 answered 401, the rest 429",
        refused + " x 401, " + locked + " x 429");
    assertThat(refused).as("wrong passwords answered before the lock").isEqualTo(3);
    assertThat(locked).isEqualTo(27);
    assertThat(system.login("bert", PASSWORD).statusCode()).isEqualTo(429);
  }

  @Test
  @Tag("security")
  void aDeletedUsersTokensStopWorkingAtOnce() throws Exception {
    String first = system.adminToken();
    system.createUser(first, "second-admin", PASSWORD, "admin");
    String second = system.token("second-admin", PASSWORD);
    assertThat(system.get("/api/v1/users", second).statusCode()).isEqualTo(200);

    assertThat(
            system
                .client
                .delete("/api/v1/users/second-admin")
                .bearerTokenAuthentication(first)
                .send()
                .await(10, TimeUnit.SECONDS)
                .statusCode())
        .isEqualTo(204);

    assertThat(system.get("/api/v1/users", second).statusCode()).isEqualTo(401);
    HttpResponse<Buffer> revenge =
        system
            .client
            .post("/api/v1/users")
            .bearerTokenAuthentication(second)
            .sendJsonObject(
                new JsonObject()
                    .put("username", "third-admin")
                    .put("password", PASSWORD)
                    .put("roles", new io.vertx.core.json.JsonArray().add("admin")))
            .await(10, TimeUnit.SECONDS);
    io.discs.testing.security.SecurityReport.record(
        "Tokens cannot be revoked",
        "a deleted admin's token creates a new admin",
        "401",
        revenge.statusCode());
    assertThat(revenge.statusCode()).isEqualTo(401);
  }

  @Test
  @Tag("security")
  void changingThePasswordEndsTheTokensIssuedBefore() throws Exception {
    String admin = system.adminToken();
    system.createUser(admin, "carla", PASSWORD, "user");
    String laptop = system.token("carla", PASSWORD);
    String phone = system.token("carla", PASSWORD);

    assertThat(
            system
                .client
                .post("/api/v1/users/me/password")
                .bearerTokenAuthentication(laptop)
                .sendJsonObject(
                    new JsonObject()
                        .put("currentPassword", PASSWORD)
                        .put("newPassword", "carla-new-password-2"))
                .await(10, TimeUnit.SECONDS)
                .statusCode())
        .isEqualTo(204);

    int phoneAfter = system.get("/api/v1/discovery", phone).statusCode();
    io.discs.testing.security.SecurityReport.record(
        "Tokens cannot be revoked",
        "a token from before a password change, used right after it",
        "401",
        phoneAfter);
    assertThat(system.get("/api/v1/discovery", laptop).statusCode()).isEqualTo(401);
    assertThat(phoneAfter).isEqualTo(401);
    String fresh = system.token("carla", "carla-new-password-2");
    assertThat(system.get("/api/v1/discovery", fresh).statusCode()).isEqualTo(200);
  }

  @Test
  @Tag("security")
  void aNameNoAccountCanHaveIsRefusedWithoutAnAuditRowEachTime() throws Exception {
    String admin = system.adminToken();
    String huge = "x".repeat(4000);
    for (int i = 0; i < 5; i++) {
      assertThat(system.login(huge, "whatever-password").statusCode()).isEqualTo(401);
      assertThat(system.login("bob\u0000", "whatever-password").statusCode()).isEqualTo(401);
    }
    JsonArray failures =
        system
            .get("/api/v1/audit?type=auth.login.failed&limit=100", admin)
            .bodyAsJsonObject()
            .getJsonArray("items");
    io.discs.testing.security.SecurityReport.record(
        "Smaller: a 4,000-character user name adds an audit row per request; \"bob\\u0000\" gives 500",
        "5 logins each as a 4,000-character name and as \"bob\\u0000\"",
        "401, and no audit row",
        "401, " + failures.size() + " audit rows");
    assertThat(failures).isEmpty();
  }

  @Test
  @Tag("security")
  void attemptsWhileLockedAreCountedNotAuditedOneByOne() throws Exception {
    String admin = system.adminToken();
    system.createUser(admin, "lena", PASSWORD, "user");
    for (int i = 0; i < 3; i++) {
      system.login("lena", "wrong-password-" + i);
    }
    for (int i = 0; i < 20; i++) {
      assertThat(system.login("lena", "wrong-again-" + i).statusCode()).isEqualTo(429);
    }
    // Rows are written after the answers: wait until the lock's is there, then a moment longer
    // for any a request while locked would (wrongly) add.
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> auditOf(admin, "lena"), rows -> typed(rows, "auth.locked") > 0);
    JsonArray rows =
        await()
            .pollDelay(Duration.ofMillis(500))
            .atMost(Duration.ofSeconds(5))
            .until(() -> auditOf(admin, "lena"), all -> true);
    long failed = typed(rows, "auth.login.failed");
    long locks = typed(rows, "auth.locked");
    io.discs.testing.security.SecurityReport.record(
        "Smaller: a locked name adds an audit row per request (200 rows in 0.7 s)",
        "3 wrong logins, then 20 more while locked",
        "3 failure rows and one lock row",
        failed + " failure rows, " + locks + " lock rows");
    assertThat(failed).isEqualTo(3);
    assertThat(locks).isEqualTo(1);
  }

  @Test
  @Tag("security")
  void theCurrentPasswordCheckIsThrottledLikeALogin() throws Exception {
    system.createUser(system.adminToken(), "gina", PASSWORD, "user");
    String gina = system.token("gina", PASSWORD);
    List<Integer> answers = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      answers.add(changePassword(gina, "not-it-" + i, "a-brand-new-password").statusCode());
    }
    io.discs.testing.security.SecurityReport.record(
        "Smaller: a wrong currentPassword is never throttled",
        "5 password changes with a wrong current password (limit 3)",
        "403, 403, 403, then 429",
        answers);
    assertThat(answers).containsExactly(403, 403, 403, 429, 429);
  }

  @Test
  @Tag("security")
  void logoutEndsThatTokenOnly() throws Exception {
    system.createUser(system.adminToken(), "hugo", PASSWORD, "user");
    String kept = system.token("hugo", PASSWORD);
    String ended = system.token("hugo", PASSWORD);
    int logout =
        system
            .client
            .post("/api/v1/auth/logout")
            .bearerTokenAuthentication(ended)
            .send()
            .await(10, TimeUnit.SECONDS)
            .statusCode();
    int after = system.get("/api/v1/discovery", ended).statusCode();
    io.discs.testing.security.SecurityReport.record(
        "Tokens cannot be revoked",
        "a token used after POST /auth/logout",
        "401 (another token of the user still 200)",
        after + " (other token " + system.get("/api/v1/discovery", kept).statusCode() + ")");
    assertThat(logout).isEqualTo(204);
    assertThat(after).isEqualTo(401);
    assertThat(system.get("/api/v1/discovery", kept).statusCode()).isEqualTo(200);
  }

  @Test
  void createsListsAndDeletesUsersButNeverTheLastAdmin() throws Exception {
    String admin = system.adminToken();
    system.createUser(admin, "bob", PASSWORD, "operator", "auditor");

    HttpResponse<Buffer> duplicate =
        system
            .client
            .post("/api/v1/users")
            .bearerTokenAuthentication(admin)
            .sendJsonObject(
                new JsonObject()
                    .put("username", "bob")
                    .put("password", PASSWORD)
                    .put("roles", new JsonArray().add("user")))
            .await(30, TimeUnit.SECONDS);
    assertThat(duplicate.statusCode()).isEqualTo(409);

    for (JsonObject bad :
        List.of(
            new JsonObject()
                .put("username", "../etc")
                .put("password", PASSWORD)
                .put("roles", new JsonArray().add("user")),
            new JsonObject()
                .put("username", "carol")
                .put("password", "short")
                .put("roles", new JsonArray().add("user")),
            new JsonObject()
                .put("username", "carol")
                .put("password", PASSWORD)
                .put("roles", new JsonArray().add("root")))) {
      HttpResponse<Buffer> response =
          system
              .client
              .post("/api/v1/users")
              .bearerTokenAuthentication(admin)
              .sendJsonObject(bad)
              .await(30, TimeUnit.SECONDS);
      assertThat(response.statusCode()).as(bad.encode()).isEqualTo(400);
    }

    JsonArray users = system.get("/api/v1/users", admin).bodyAsJsonObject().getJsonArray("items");
    assertThat(users.stream().map(u -> ((JsonObject) u).getString("username")))
        .containsExactly("admin", "bob");
    assertThat(users.encode()).doesNotContain("pbkdf2");

    assertThat(
            system
                .client
                .delete("/api/v1/users/admin")
                .bearerTokenAuthentication(admin)
                .send()
                .await(10, TimeUnit.SECONDS)
                .statusCode())
        .isEqualTo(409);
    assertThat(
            system
                .client
                .delete("/api/v1/users/bob")
                .bearerTokenAuthentication(admin)
                .send()
                .await(10, TimeUnit.SECONDS)
                .statusCode())
        .isEqualTo(204);
    assertThat(system.login("bob", PASSWORD).statusCode()).isEqualTo(401);
  }

  @Test
  void letsAUserChangeTheirOwnPasswordOnlyWithTheCurrentOne() throws Exception {
    system.createUser(system.adminToken(), "dave", PASSWORD, "user");
    String dave = system.token("dave", PASSWORD);

    HttpResponse<Buffer> wrongCurrent =
        changePassword(dave, "not-my-password", "a-brand-new-password");
    assertThat(wrongCurrent.statusCode()).isEqualTo(403);
    assertThat(changePassword(dave, PASSWORD, "a-brand-new-password").statusCode()).isEqualTo(204);

    assertThat(system.login("dave", PASSWORD).statusCode()).isEqualTo(401);
    assertThat(system.login("dave", "a-brand-new-password").statusCode()).isEqualTo(200);
  }

  @Test
  void keepsTheGeneratedSigningKeyReadableOnlyByItsOwner() throws Exception {
    Path key = system.config.dataDir().resolve("keys/jwt-es256-private.pem");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void auditsLoginsDenialsAndUserChangesInOrderWithActorAndAddress() throws Exception {
    String admin = system.adminToken();
    system.login("admin", "wrong-password-here");
    system.createUser(admin, "erin", PASSWORD, "user");
    String erin = system.token("erin", PASSWORD);
    assertThat(system.get("/api/v1/audit", erin).statusCode()).isEqualTo(403);
    system
        .client
        .delete("/api/v1/users/erin")
        .bearerTokenAuthentication(admin)
        .send()
        .await(10, TimeUnit.SECONDS);

    List<JsonObject> entries = auditUntil(admin, 6);
    List<String> story =
        entries.stream().map(e -> e.getString("type") + " " + e.getString("actor")).toList();
    assertThat(story)
        .containsSubsequence(
            "auth.login.succeeded admin",
            "auth.login.failed admin",
            "user.created admin",
            "auth.login.succeeded erin",
            "authz.denied erin",
            "user.deleted admin");
    JsonObject denied =
        entries.stream()
            .filter(e -> e.getString("type").equals("authz.denied"))
            .findFirst()
            .orElseThrow();
    assertThat(denied.getString("outcome")).isEqualTo("denied");
    assertThat(denied.getString("sourceIp")).isEqualTo("127.0.0.1");
    assertThat(denied.getString("resource")).isEqualTo("GET /api/v1/audit");

    JsonObject verification = system.get("/api/v1/audit/verify", admin).bodyAsJsonObject();
    assertThat(verification.getBoolean("intact")).isTrue();
  }

  private HttpResponse<Buffer> changePassword(String token, String current, String next)
      throws Exception {
    return system
        .client
        .post("/api/v1/users/me/password")
        .bearerTokenAuthentication(token)
        .sendJsonObject(new JsonObject().put("currentPassword", current).put("newPassword", next))
        .await(30, TimeUnit.SECONDS);
  }

  /**
   * Oldest first, once at least {@code count} rows are there (events are recorded asynchronously).
   */
  private JsonArray auditOf(String token, String actor) throws Exception {
    return system
        .get("/api/v1/audit?actor=" + actor + "&limit=100", token)
        .bodyAsJsonObject()
        .getJsonArray("items");
  }

  private static long typed(JsonArray rows, String type) {
    return rows.stream().filter(r -> type.equals(((JsonObject) r).getString("type"))).count();
  }

  private List<JsonObject> auditUntil(String token, int count) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              JsonArray items =
                  system
                      .get("/api/v1/audit?limit=100", token)
                      .bodyAsJsonObject()
                      .getJsonArray("items");
              List<JsonObject> oldestFirst =
                  new ArrayList<>(items.stream().map(o -> (JsonObject) o).toList());
              Collections.reverse(oldestFirst);
              return oldestFirst;
            },
            entries -> entries.size() >= count);
  }
}
