package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.testing.FreePorts;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone process with its own logging configuration and {@code DISCS_LOG_FORMAT=json}: a
 * request's id comes back in the answer and in a JSON log line.
 */
class JsonLogTest {

  @Test
  void aRequestIdComesBackAndIsInAJsonLogLine(@TempDir Path dataDir) throws Exception {
    int port = FreePorts.next();
    int iscsi = FreePorts.next();
    Path out = dataDir.resolve("out.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            java,
            // The standalone's own logging setup, not the tests'.
            "-Dlogback.configurationFile=" + Path.of("target/classes/logback.xml").toAbsolutePath(),
            "-cp",
            System.getProperty("java.class.path"),
            StandaloneMain.class.getName());
    builder.environment().put("DISCS_LOG_FORMAT", "json");
    builder.environment().put("DISCS_HTTP_PORT", String.valueOf(port));
    builder.environment().put("DISCS_HTTP_HOST", "127.0.0.1");
    builder.environment().put("DISCS_ISCSI_LISTEN", "127.0.0.1:" + iscsi);
    builder.environment().put("DISCS_ISCSI_PORTAL", "127.0.0.1:" + iscsi);
    builder.environment().put("DISCS_DATA_DIR", dataDir.resolve("data").toString());
    builder.environment().put("DISCS_ADMIN_PASSWORD", "json-log-admin-password");
    builder.redirectErrorStream(true).redirectOutput(out.toFile());
    Process process = builder.start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> answer =
          await("the process ready")
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(500))
              .ignoreExceptionsInstanceOf(java.io.IOException.class)
              .until(
                  () ->
                      http.send(
                          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                              .header("X-Request-Id", "r-123")
                              .build(),
                          HttpResponse.BodyHandlers.ofString()),
                  ready -> ready.statusCode() == 200);
      assertThat(answer.headers().firstValue("X-Request-Id")).contains("r-123");

      Optional<JsonObject> line =
          await("a JSON line with the request id")
              .atMost(Duration.ofSeconds(5))
              .until(
                  () ->
                      Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                          .filter(l -> l.startsWith("{"))
                          .map(JsonObject::new)
                          .filter(j -> j.getJsonObject("mdc") != null)
                          .filter(
                              j -> "r-123".equals(j.getJsonObject("mdc").getString("requestId")))
                          .findFirst(),
                  Optional::isPresent);
      JsonObject logged = line.get();
      assertThat(logged.getString("level")).isEqualTo("INFO");
      assertThat(logged.getString("loggerName")).isEqualTo("discs.access");
      assertThat(logged.getJsonObject("mdc").getString("status")).isEqualTo("200");
      assertThat(logged.getJsonObject("mdc").getString("route")).isEqualTo("/ready");
      assertThat(Files.readAllLines(out, StandardCharsets.UTF_8))
          .filteredOn(l -> !l.isBlank())
          .allSatisfy(l -> assertThat(l).startsWith("{"));
    } finally {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
