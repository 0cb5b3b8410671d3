package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.testing.DiscImages;
import io.discs.testing.FreePorts;
import io.discs.testing.SystemTools;
import io.discs.testing.TempDirs;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus (Debian's) scrapes a standalone that served some traffic (uploads, a refused
 * one, a session with a heartbeat, an iSCSI login and read); every query of every panel of
 * infra/grafana/dashboards/discs.json then returns data through Prometheus's HTTP API.
 */
class GrafanaDashboardTest {
  private static final Path DASHBOARD =
      Path.of("..", "infra", "grafana", "dashboards", "discs.json");
  private static final String INITIATOR = "iqn.2026-01.test.discs:dashboard";

  @Test
  void everyPanelQueryReturnsDataFromARealPrometheus() throws Exception {
    String prometheus = SystemTools.require("prometheus", "prometheus").toString();
    Path dir = TempDirs.create("dashboard");
    try (TestSystem system = TestSystem.start(Map.of())) {
      traffic(system, dir);
      // The GC panel's series exists only once this system's registry has seen a collection; a
      // short run on a roomy heap may have none before Prometheus scrapes (seen once in CI).
      System.gc();
      int port = FreePorts.next();
      Files.writeString(
          dir.resolve("prometheus.yml"),
          "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
              + "scrape_configs:\n  - job_name: discs\n    static_configs:\n"
              + "      - targets: ['127.0.0.1:"
              + system.discs.httpPort()
              + "']\n");
      Process server =
          new ProcessBuilder(
                  prometheus,
                  "--config.file=" + dir.resolve("prometheus.yml"),
                  "--storage.tsdb.path=" + dir.resolve("tsdb"),
                  "--web.listen-address=127.0.0.1:" + port)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("prometheus.log").toFile())
              .start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        waitForScrapes(http, base);
        // Traffic again between scrapes, so that rates have something to be.
        traffic(system, dir);
        waitForNewScrapes(http, base);
        List<String> empty = new ArrayList<>();
        int queries = 0;
        for (Object panel : new JsonObject(Files.readString(DASHBOARD)).getJsonArray("panels")) {
          for (Object target : ((JsonObject) panel).getJsonArray("targets")) {
            String expr = ((JsonObject) target).getString("expr");
            queries++;
            JsonObject answer = query(http, base, expr);
            JsonArray result =
                answer.getJsonObject("data", new JsonObject()).getJsonArray("result");
            if (!"success".equals(answer.getString("status"))
                || result == null
                || result.isEmpty()) {
              empty.add(
                  ((JsonObject) panel).getString("title") + ": " + expr + " → " + answer.encode());
            }
          }
        }
        assertThat(queries).isGreaterThan(20);
        assertThat(empty).as(Files.readString(dir.resolve("prometheus.log"))).isEmpty();
      } finally {
        server.destroy();
        if (!server.waitFor(20, TimeUnit.SECONDS)) {
          server.destroyForcibly();
        }
      }
    }
  }

  /** Uploads (one refused), a 401, a session with a heartbeat, an iSCSI login and a read. */
  private static void traffic(TestSystem system, Path dir) throws Exception {
    String admin = system.adminToken();
    Path iso =
        DiscImages.iso9660(
            dir.resolve("d" + System.nanoTime() + ".iso"),
            "DASH",
            1 << 20,
            false,
            System.nanoTime());
    JsonObject image = system.uploadImage(admin, "dash.iso", iso);
    system
        .client
        .post("/api/v1/images")
        .addQueryParam("name", "noise.iso")
        .bearerTokenAuthentication(admin)
        .sendBuffer(Buffer.buffer(new byte[70_000]))
        .await(30, TimeUnit.SECONDS);
    system.client.get("/api/v1/images").send().await(10, TimeUnit.SECONDS);
    String user = "dash" + (System.nanoTime() % 100_000);
    system.createUser(admin, user, "dashboard-password", "user");
    String token = system.token(user, "dashboard-password");
    JsonObject session =
        system
            .client
            .post("/api/v1/sessions")
            .bearerTokenAuthentication(token)
            .sendJsonObject(
                new JsonObject()
                    .put("imageId", image.getString("id"))
                    .put("initiatorIqn", INITIATOR + user))
            .await(60, TimeUnit.SECONDS)
            .bodyAsJsonObject();
    system
        .client
        .post("/api/v1/sessions/" + session.getString("id") + "/heartbeat")
        .bearerTokenAuthentication(token)
        .send()
        .await(10, TimeUnit.SECONDS);
    try (RawInitiator initiator =
        new RawInitiator("127.0.0.1", system.config.targets().listen().port(), INITIATOR + user)) {
      JsonObject chap = session.getJsonObject("chap");
      initiator.loginWithChap(
          session.getJsonObject("target").getString("iqn"),
          chap.getString("username"),
          chap.getString("secret"));
      initiator.read10(4, 8, false);
      for (int i = 0; i < 4; i++) {
        initiator.read();
      }
      initiator.logout();
    }
  }

  private static void waitForScrapes(HttpClient http, String base) {
    await("Prometheus scraping discs")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .ignoreExceptionsInstanceOf(java.io.IOException.class)
        .until(
            () ->
                query(http, base, "up{job=\"discs\"} == 1")
                    .getJsonObject("data", new JsonObject())
                    .getJsonArray("result"),
            result -> result != null && !result.isEmpty());
  }

  /** Until Prometheus's last scrape is from well after now (its interval is 1 s): two more. */
  private static void waitForNewScrapes(HttpClient http, String base) {
    double since = System.currentTimeMillis() / 1000.0;
    await("two scrapes after the traffic")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .ignoreExceptionsInstanceOf(java.io.IOException.class)
        .until(
            () ->
                query(http, base, "timestamp(up{job=\"discs\"})")
                    .getJsonObject("data", new JsonObject())
                    .getJsonArray("result"),
            result ->
                result != null
                    && !result.isEmpty()
                    && Double.parseDouble(
                            result.getJsonObject(0).getJsonArray("value").getString(1))
                        > since + 1.5);
  }

  private static JsonObject query(HttpClient http, String base, String expr) throws Exception {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base
                            + "/api/v1/query?query="
                            + URLEncoder.encode(expr, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new JsonObject(answer.body());
  }
}
