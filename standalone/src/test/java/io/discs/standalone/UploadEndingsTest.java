package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.testing.DiscImages;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.HttpResponse;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How uploads end on real networks: slower than any request deadline, stalled, truncated, or cut by
 * a stopping server. Each leaves either a whole image or no file at all.
 */
class UploadEndingsTest {
  private static final int IDLE_SECONDS = 2;
  private static final Map<String, String> SETTINGS =
      Map.of(
          "DISCS_UPLOAD_IDLE_SECONDS",
          String.valueOf(IDLE_SECONDS),
          "DISCS_REQUEST_TIMEOUT_SECONDS",
          "2");

  @TempDir Path dir;

  @Test
  void anUploadSlowerThanTheRequestDeadlineCompletes() throws Exception {
    try (TestSystem system = TestSystem.start(SETTINGS)) {
      String admin = system.adminToken();
      Path iso = DiscImages.iso9660(dir.resolve("slow.iso"), "SLOW", 3 << 20, false, 31);
      byte[] bytes = Files.readAllBytes(iso);

      try (Socket socket = new Socket("127.0.0.1", system.discs.httpPort())) {
        OutputStream out = socket.getOutputStream();
        out.write(RawUploads.head(admin, "slow.iso", bytes.length, null));
        // About 6 s in all, three times the deadline, never quiet for as long as the idle timeout.
        int chunk = bytes.length / 24;
        for (int at = 0; at < bytes.length; at += chunk) {
          out.write(bytes, at, Math.min(chunk, bytes.length - at));
          out.flush();
          Thread.sleep(250);
        }
        String answer = RawUploads.readAnswer(socket.getInputStream());
        assertThat(answer).startsWith("HTTP/1.1 201");
        assertThat(answer).contains(DiscImages.sha256(iso));
      }
      assertThat(RawUploads.tempFiles(system)).isZero();
    }
  }

  @Test
  void aStalledUploadIsClosedWithinTheIdleTimeoutAndLeavesNoFile() throws Exception {
    try (TestSystem system = TestSystem.start(SETTINGS)) {
      String admin = system.adminToken();
      Path iso = DiscImages.iso9660(dir.resolve("stall.iso"), "STALL", 6 << 20, false, 37);
      byte[] bytes = Files.readAllBytes(iso);

      String answer;
      long stalledAt;
      try (Socket socket = new Socket("127.0.0.1", system.discs.httpPort())) {
        socket.setSoTimeout((IDLE_SECONDS + 10) * 1000);
        OutputStream out = socket.getOutputStream();
        out.write(RawUploads.head(admin, "stall.iso", bytes.length, null));
        out.write(bytes, 0, 2 << 20);
        out.flush();
        stalledAt = System.nanoTime();
        answer = RawUploads.readAnswer(socket.getInputStream());
      }
      long closedAfterMs = (System.nanoTime() - stalledAt) / 1_000_000;

      assertThat(answer).startsWith("HTTP/1.1 408");
      assertThat(answer).contains("application/problem+json").contains("DISCS_UPLOAD_IDLE_SECONDS");
      assertThat(closedAfterMs).isLessThan((IDLE_SECONDS + 3) * 1000L);
      assertThat(RawUploads.tempFiles(system)).isZero();
      assertThat(rejections(system, admin))
          .anySatisfy(
              event ->
                  assertThat(
                          ((io.vertx.core.json.JsonObject) event)
                              .getJsonObject("details")
                              .getInteger("status"))
                      .isEqualTo(408));
    }
  }

  @Test
  void anIsoWithFewerBytesThanItsVolumeClaimsIsRefusedAsTruncated() throws Exception {
    try (TestSystem system = TestSystem.start(SETTINGS)) {
      String admin = system.adminToken();
      Path iso = DiscImages.iso9660(dir.resolve("whole.iso"), "WHOLE", 4 << 20, false, 41);
      try (RandomAccessFile file = new RandomAccessFile(iso.toFile(), "rw")) {
        file.setLength((3 << 20) + 2048); // the volume still claims 4 MiB
      }

      HttpResponse<Buffer> response =
          system
              .client
              .post("/api/v1/images")
              .addQueryParam("name", "cut.iso")
              .bearerTokenAuthentication(admin)
              .sendBuffer(Buffer.buffer(Files.readAllBytes(iso)))
              .await(30, TimeUnit.SECONDS);

      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(422);
      assertThat(response.bodyAsJsonObject().getString("detail")).contains("truncated");
      assertThat(RawUploads.tempFiles(system)).isZero();
      assertThat(system.get("/api/v1/images", admin).bodyAsJsonObject().getJsonArray("items"))
          .isEmpty();
    }
  }

  @Test
  void aUdfImageCutShortOfItsPartitionIsRefusedAsTruncated() throws Exception {
    try (TestSystem system = TestSystem.start(SETTINGS)) {
      String admin = system.adminToken();
      Path udf = DiscImages.mkudffs(dir.resolve("whole.udf"), 8 << 20, "WHOLE");
      byte[] cut = java.util.Arrays.copyOf(Files.readAllBytes(udf), 5 << 20);

      HttpResponse<Buffer> response =
          system
              .client
              .post("/api/v1/images")
              .addQueryParam("name", "cut.udf")
              .bearerTokenAuthentication(admin)
              .sendBuffer(Buffer.buffer(cut))
              .await(30, TimeUnit.SECONDS);

      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(422);
      assertThat(response.bodyAsJsonObject().getString("detail"))
          .contains("truncated")
          .contains("UDF partition");
      assertThat(RawUploads.tempFiles(system)).isZero();
      assertThat(system.get("/api/v1/images", admin).bodyAsJsonObject().getJsonArray("items"))
          .isEmpty();
    }
  }

  @Test
  void aServerThatStopsDuringAnUploadLeavesNoFile() throws Exception {
    TestSystem system = TestSystem.start(SETTINGS);
    String admin = system.adminToken();
    Path iso = DiscImages.iso9660(dir.resolve("cut.iso"), "CUT", 6 << 20, false, 43);
    byte[] bytes = Files.readAllBytes(iso);
    try (Socket socket = new Socket("127.0.0.1", system.discs.httpPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(RawUploads.head(admin, "cut.iso", bytes.length, null));
      out.write(bytes, 0, 1 << 20);
      out.flush();
      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> RawUploads.tempFiles(system), files -> files == 1);

      system.close();

      assertThat(RawUploads.tempFiles(system)).isZero();
    }
  }

  /** The audit log is written after the answer: wait a moment for the row. */
  private static JsonArray rejections(TestSystem system, String admin) {
    return await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                system
                    .get("/api/v1/audit?type=image.rejected", admin)
                    .bodyAsJsonObject()
                    .getJsonArray("items"),
            items -> !items.isEmpty());
  }
}
