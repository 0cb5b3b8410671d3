package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.testing.DiscImages;
import io.discs.testing.S3Proxy;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target node filling its cache from the bucket when the S3 server goes away mid-fetch: the
 * session ends FAILED with the reason, and no partial cache file is left.
 */
class BucketFetchFailureTest {
  @TempDir Path dir;

  @Test
  void anS3ServerGoneMidFetchFailsTheSessionAndLeavesNoPartialFile() throws Exception {
    try (S3Proxy server = S3Proxy.start(Files.createDirectories(dir.resolve("s3")));
        TestSystem system =
            TestSystem.start(
                Map.of(
                    "DISCS_STORE",
                    "s3",
                    "DISCS_S3_ENDPOINT",
                    server.endpoint(),
                    "DISCS_S3_BUCKET",
                    "discs-fetch",
                    "DISCS_S3_ACCESS_KEY_ID",
                    S3Proxy.IDENTITY,
                    "DISCS_S3_SECRET_ACCESS_KEY",
                    S3Proxy.CREDENTIAL))) {
      String admin = system.adminToken();
      Path iso = DiscImages.iso9660(dir.resolve("big.iso"), "BIG", 384 << 20, false, 31);
      JsonObject image = system.uploadImage(admin, "big.iso", iso);
      Path partials = system.config.dataDir().resolve("target-cache").resolve("tmp");

      Future<HttpResponse<Buffer>> starting =
          system
              .client
              .post("/api/v1/sessions")
              .bearerTokenAuthentication(admin)
              .sendJsonObject(
                  new JsonObject()
                      .put("imageId", image.getString("id"))
                      .put("initiatorIqn", "iqn.2026-12.test.discs:cold"));
      // The fetch is under way once its partial file exists; then the server goes away.
      await("the fetch under way")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> files(partials) > 0);
      server.kill();

      HttpResponse<Buffer> answer = starting.await(60, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as(answer.bodyAsString()).isGreaterThanOrEqualTo(500);
      JsonObject session =
          system
              .get("/api/v1/sessions", admin)
              .bodyAsJsonObject()
              .getJsonArray("items")
              .getJsonObject(0);
      assertThat(session.getString("state")).isEqualTo("FAILED");
      assertThat(session.getString("reason")).isNotBlank();
      await("the partial file gone")
          .atMost(Duration.ofSeconds(10))
          .until(() -> files(partials) == 0);
      assertThat(system.get("/api/v1/targets", admin).bodyAsJsonObject().getJsonArray("items"))
          .isEmpty();
    }
  }

  private static long files(Path folder) throws Exception {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.count();
    }
  }
}
