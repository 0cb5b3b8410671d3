package io.discs.standalone;

import io.discs.testing.DiscImages;
import io.discs.testing.Processes;
import io.discs.testing.SystemTools;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the host's initiators see of discs on a LIO host in the guest, through QEMU's forwards:
 * targets made through the API and read with qemu-img, written to with qemu-io, logged in to with a
 * wrong secret, another initiator's name and mutual CHAP (libiscsi), the cdrom refusal, and
 * libiscsi's conformance suite. Each check is kept as {@code name ok} or {@code name FAILED …}.
 */
final class LioHostChecks {
  static final String INITIATOR = "iqn.2026-12.test.discs:lio-host";
  private static final String OTHER = "iqn.2026-12.test.discs:intruder";

  private final HttpClient http = HttpClient.newHttpClient();
  private final String api;
  private final String portal;
  private final String password;
  private final Path iso;
  private final Path dir;
  private final List<String> results = new ArrayList<>();
  private final List<String> conformance = new ArrayList<>();
  private String token;

  LioHostChecks(int apiPort, int portalPort, String password, Path iso, Path dir) {
    this.api = "http://127.0.0.1:" + apiPort;
    this.portal = "127.0.0.1:" + portalPort;
    this.password = password;
    this.iso = iso;
    this.dir = dir;
  }

  List<String> results() {
    return results;
  }

  List<String> conformance() {
    return conformance;
  }

  /** Every check, in order; a check that throws is a failed check, and the next one still runs. */
  /** With the admin's token the companion in the guest signed in with. */
  void run(String imageId, String adminToken) {
    token = adminToken;
    JsonObject disk = attempt(() -> createTarget(imageId, INITIATOR, "disk", false));
    if (disk == null) {
      return;
    }
    check("host-target-lun-0", () -> disk.getInteger("lun") == 0, disk.encode());
    check("host-qemu-img-reads-the-image", () -> readsTheImage(disk), "hash differs");
    check("host-qemu-io-write-refused", () -> writeRefused(disk), "write was not refused");
    check("host-wrong-secret-refused", () -> !loginWorks(disk, INITIATOR, "WrongSecret12345"), "");
    check(
        "host-other-initiator-refused",
        () -> !loginWorks(disk, OTHER, disk.getJsonObject("chap").getString("secret")),
        "");
    JsonObject mutual = attempt(() -> createTarget(imageId, INITIATOR, "disk", true));
    if (mutual != null) {
      JsonObject chap = mutual.getJsonObject("chap");
      check(
          "host-mutual-chap-works",
          () -> mutualLoginWorks(mutual, chap.getString("mutualSecret")),
          chap.encode().replaceAll("\"(secret|mutualSecret)\":\"[^\"]*\"", "\"$1\":\"…\""));
      check(
          "host-mutual-chap-wrong-target-secret-refused",
          () -> !mutualLoginWorks(mutual, "WrongSecret12345"),
          "the initiator accepted a target that did not know the mutual secret");
      attempt(() -> deleteTarget(mutual));
    }
    check(
        "host-cdrom-refused-with-422",
        () -> {
          HttpResponse<String> target =
              post(
                  "/api/v1/targets",
                  new JsonObject()
                      .put("imageId", imageId)
                      .put("initiatorIqn", OTHER)
                      .put("deviceType", "cdrom"));
          HttpResponse<String> session =
              post(
                  "/api/v1/sessions",
                  new JsonObject()
                      .put("imageId", imageId)
                      .put("initiatorIqn", OTHER)
                      .put("deviceType", "cdrom"));
          results.add("host-cdrom-answers " + target.statusCode() + " " + session.statusCode());
          return target.statusCode() == 422
              && target.body().contains("lio")
              && session.statusCode() == 422;
        },
        "");
    attempt(
        () -> {
          conformance.addAll(conformance(disk));
          return null;
        });
    check("host-target-deleted", () -> deleteTarget(disk), "");
  }

  private String token() throws Exception {
    if (token == null) {
      HttpResponse<String> answer =
          post(
              "/api/v1/auth/token",
              new JsonObject().put("username", "admin").put("password", password));
      token = new JsonObject(answer.body()).getString("access_token");
    }
    return token;
  }

  private JsonObject createTarget(String imageId, String initiator, String type, boolean mutual)
      throws Exception {
    HttpResponse<String> answer =
        post(
            "/api/v1/targets",
            new JsonObject()
                .put("imageId", imageId)
                .put("initiatorIqn", initiator)
                .put("deviceType", type)
                .put("mutualChap", mutual));
    if (answer.statusCode() != 201) {
      throw new IllegalStateException("target not made: " + answer.statusCode() + answer.body());
    }
    return new JsonObject(answer.body());
  }

  private boolean deleteTarget(JsonObject target) throws Exception {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create(api + "/api/v1/targets/" + target.getString("id")))
                .header("Authorization", "Bearer " + token())
                .timeout(Duration.ofMinutes(2))
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return answer.statusCode() == 204;
  }

  private boolean readsTheImage(JsonObject target) throws Exception {
    Path copy = dir.resolve("lio-copy.raw");
    Processes.Result convert =
        Processes.run(
            List.of(
                tool("qemu-img", "qemu-utils"),
                "convert",
                "--image-opts",
                qemu(target, INITIATOR),
                "-O",
                "raw",
                copy.toString()),
            Duration.ofMinutes(5));
    if (!convert.ok()) {
      throw new IllegalStateException(convert.output());
    }
    return DiscImages.sha256(copy).equals(DiscImages.sha256(iso));
  }

  private boolean writeRefused(JsonObject target) throws Exception {
    Processes.Result write =
        Processes.run(
            List.of(
                tool("qemu-io", "qemu-utils"),
                "--image-opts",
                qemu(target, INITIATOR),
                "-c",
                "write 0 4k"),
            Duration.ofMinutes(2));
    results.add("host-qemu-io-said " + write.output().strip().replace('\n', ' '));
    return !write.ok() || write.output().contains("write failed");
  }

  private boolean loginWorks(JsonObject target, String initiator, String secret) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("LIBISCSI_CHAP_USERNAME", target.getJsonObject("chap").getString("username"));
    env.put("LIBISCSI_CHAP_PASSWORD", secret);
    return inquiry(target, initiator, env).ok();
  }

  private boolean mutualLoginWorks(JsonObject target, String targetSecret) throws Exception {
    JsonObject chap = target.getJsonObject("chap");
    Map<String, String> env = new HashMap<>();
    env.put("LIBISCSI_CHAP_USERNAME", chap.getString("username"));
    env.put("LIBISCSI_CHAP_PASSWORD", chap.getString("secret"));
    env.put("LIBISCSI_CHAP_TARGET_USERNAME", chap.getString("mutualUsername"));
    env.put("LIBISCSI_CHAP_TARGET_PASSWORD", targetSecret);
    return inquiry(target, INITIATOR, env).ok();
  }

  private Processes.Result inquiry(JsonObject target, String initiator, Map<String, String> env)
      throws Exception {
    return Processes.run(
        List.of(
            tool("iscsi-inq", "libiscsi-bin"),
            "-i",
            initiator,
            "iscsi://" + portal + "/" + target.getString("iqn") + "/0"),
        env,
        Duration.ofMinutes(1));
  }

  /** perf/conformance.sh, the command lines recorded for every backend in perf/RESULTS.md. */
  private List<String> conformance(JsonObject target) throws Exception {
    JsonObject chap = target.getJsonObject("chap");
    Map<String, String> env = new HashMap<>();
    env.put("LIBISCSI_CHAP_USERNAME", chap.getString("username"));
    env.put("LIBISCSI_CHAP_PASSWORD", chap.getString("secret"));
    env.put("CONFORMANCE_LOG_DIR", dir.toString());
    tool("iscsi-test-cu", "libiscsi-bin");
    Processes.Result result =
        Processes.run(
            List.of(
                Path.of("..", "perf", "conformance.sh").toAbsolutePath().normalize().toString(),
                portal,
                target.getString("iqn"),
                "0",
                INITIATOR),
            env,
            Duration.ofMinutes(20));
    return result.output().lines().toList();
  }

  private String qemu(JsonObject target, String initiator) {
    return TestSystem.qemuIscsi(
        portal, target.getString("iqn"), 0, initiator, target.getJsonObject("chap"));
  }

  private HttpResponse<String> post(String path, JsonObject body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api + path))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofMinutes(3))
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    if (!path.equals("/api/v1/auth/token")) {
      request.header("Authorization", "Bearer " + token());
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String tool(String name, String debianPackage) {
    return SystemTools.require(name, debianPackage).toString();
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private interface Step<T> {
    T run() throws Exception;
  }

  private void check(String name, Check check, String detail) {
    try {
      results.add(name + (check.holds() ? " ok" : " FAILED " + detail));
    } catch (Exception | AssertionError e) {
      results.add(name + " FAILED " + e);
    }
  }

  private <T> T attempt(Step<T> step) {
    try {
      return step.run();
    } catch (Exception | AssertionError e) {
      results.add("host-step FAILED " + e);
      return null;
    }
  }
}
