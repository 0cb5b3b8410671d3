package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.testing.DiscImages;
import io.discs.testing.S3Proxy;
import io.discs.testing.SystemTools;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Sessions on a target node whose cache does not hold the image yet, on a bucket: started with
 * {@code Prefer: respond-async} they answer at once (PREPARING) while the node fills its cache from
 * the bucket, then become usable; when the S3 server goes away mid-fetch the session ends FAILED
 * with the reason and no partial cache file is left.
 */
// A GiB upload and fetch: never beside the side lane's clusters (once closed under their load).
@ResourceLock(SideLane.WAITING_CLUSTERS)
class BucketFetchFailureTest {
  private static final String INITIATOR = "iqn.2026-12.test.discs:cold";

  @TempDir Path dir;

  @Test
  void aColdNodeAnswersAtOnceAndServesAGibImageOnceFetched() throws Exception {
    Path qemuImg = SystemTools.require("qemu-img", "qemu-utils");
    try (S3Proxy server = S3Proxy.start(Files.createDirectories(dir.resolve("s3")));
        TestSystem system = TestSystem.start(server.discsSettings("discs-cold"))) {
      String admin = system.adminToken();
      Path iso = DiscImages.iso9660(dir.resolve("gib.iso"), "GIB", 1 << 30, false, 32);
      JsonObject image = system.uploadImage(admin, "gib.iso", iso);
      Files.delete(iso);

      HttpResponse<Buffer> started = startAsync(system, admin, image.getString("id"));

      assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(202);
      JsonObject preparing = started.bodyAsJsonObject();
      assertThat(preparing.getString("state")).isEqualTo("PREPARING");
      assertThat(preparing.containsKey("chap")).isFalse();
      String location = started.getHeader("Location");
      assertThat(location).isEqualTo("/api/v1/sessions/" + preparing.getString("id"));
      assertThat(started.getHeader("Preference-Applied")).isEqualTo("respond-async");
      JsonObject active =
          await("the session active")
              .atMost(Duration.ofMinutes(3))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> {
                    JsonObject now = system.get(location, admin).bodyAsJsonObject();
                    system
                        .client
                        .post(location + "/heartbeat")
                        .bearerTokenAuthentication(admin)
                        .send()
                        .await(10, TimeUnit.SECONDS);
                    return now;
                  },
                  now -> !"PREPARING".equals(now.getString("state")));
      assertThat(active.getString("state")).as(active.encode()).isEqualTo("ACTIVE");

      JsonObject target = active.getJsonObject("target");
      TestSystem.assertReadsWhole(
          qemuImg.toString(),
          TestSystem.qemuIscsi(
              target.getString("portal"),
              target.getString("iqn"),
              target.getInteger("lun"),
              INITIATOR,
              active.getJsonObject("chap")),
          dir.resolve("gib.raw"),
          image.getString("sha256"));
    }
  }

  @Test
  void anS3ServerGoneMidFetchFailsTheSessionAndLeavesNoPartialFile() throws Exception {
    try (S3Proxy server = S3Proxy.start(Files.createDirectories(dir.resolve("s3")));
        TestSystem system = TestSystem.start(server.discsSettings("discs-fetch"))) {
      String admin = system.adminToken();
      Path iso = DiscImages.iso9660(dir.resolve("big.iso"), "BIG", 384 << 20, false, 31);
      JsonObject image = system.uploadImage(admin, "big.iso", iso);
      Path partials = system.config.dataDir().resolve("target-cache").resolve("tmp");

      HttpResponse<Buffer> started = startAsync(system, admin, image.getString("id"));
      assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(202);
      String location = started.getHeader("Location");
      // The fetch is under way once its partial file exists; then the server goes away.
      await("the fetch under way")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> files(partials) > 0);
      JsonObject during = system.get(location, admin).bodyAsJsonObject();
      assertThat(during.getString("state")).isEqualTo("PREPARING");
      assertThat(during.getJsonObject("preparing").getLong("totalBytes"))
          .isEqualTo(Files.size(iso));
      server.kill();

      JsonObject failed =
          await("the session failed")
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> system.get(location, admin).bodyAsJsonObject(),
                  now -> !"PREPARING".equals(now.getString("state")));
      assertThat(failed.getString("state")).isEqualTo("FAILED");
      assertThat(failed.getString("reason")).isNotBlank();
      await("the partial file gone")
          .atMost(Duration.ofSeconds(10))
          .until(() -> files(partials) == 0);
      assertThat(system.get("/api/v1/targets", admin).bodyAsJsonObject().getJsonArray("items"))
          .isEmpty();
    }
  }

  private static HttpResponse<Buffer> startAsync(TestSystem system, String token, String imageId)
      throws Exception {
    return system
        .client
        .post("/api/v1/sessions")
        .bearerTokenAuthentication(token)
        .putHeader("Prefer", "respond-async")
        .sendJsonObject(new JsonObject().put("imageId", imageId).put("initiatorIqn", INITIATOR))
        .await(10, TimeUnit.SECONDS);
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
