package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.testing.DiscImages;
import io.discs.testing.TempDirs;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tus protocol at /api/v1/uploads, spoken by hand: every rule a tus client relies on. */
class ResumableUploadTest {
  private static final String OPERATOR_PASSWORD = "operator-password-long";
  private TestSystem system;
  private String operator;
  private Path dir;

  @BeforeEach
  void start() throws Exception {
    system = TestSystem.start(Map.of());
    String admin = system.adminToken();
    system.createUser(admin, "olga", OPERATOR_PASSWORD, "operator");
    system.createUser(admin, "otto", OPERATOR_PASSWORD, "operator");
    system.createUser(admin, "uma", "user-password-long", "user");
    operator = system.token("olga", OPERATOR_PASSWORD);
    dir = TempDirs.create("resumable");
  }

  @AfterEach
  void stop() throws Exception {
    system.close();
  }

  @Test
  void makesTheImageFromChunksAsASingleUploadWould() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("a.iso"), "CHUNKS", 3 << 20, false, 1);
    byte[] bytes = Files.readAllBytes(iso);
    String sha = DiscImages.sha256(iso);

    HttpResponse<Buffer> created = create(operator, bytes.length, "a.iso", sha);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.getHeader("Tus-Resumable")).isEqualTo("1.0.0");
    assertThat(created.getHeader("Upload-Expires")).endsWith("GMT");
    String location = created.getHeader("Location");
    assertThat(location).startsWith("/api/v1/uploads/");
    assertThat(offset(operator, location)).isZero();

    int[] cuts = {0, 1 << 20, 2 << 20, bytes.length};
    HttpResponse<Buffer> last = null;
    for (int i = 0; i + 1 < cuts.length; i++) {
      last = patch(operator, location, cuts[i], Arrays.copyOfRange(bytes, cuts[i], cuts[i + 1]));
      assertThat(last.statusCode()).as(last.bodyAsString()).isEqualTo(204);
      assertThat(last.getHeader("Upload-Offset")).isEqualTo(String.valueOf(cuts[i + 1]));
    }
    String imageId = last.getHeader("Discs-Image-Id");
    assertThat(imageId).isNotNull();
    var image = system.get("/api/v1/images/" + imageId, operator).bodyAsJsonObject();
    assertThat(image.getString("sha256")).isEqualTo(sha);
    assertThat(image.getString("name")).isEqualTo("a.iso");
    var upload = system.get(location, operator).bodyAsJsonObject();
    assertThat(upload.getBoolean("complete")).isTrue();
    assertThat(upload.getString("imageId")).isEqualTo(imageId);
    assertThat(resumableFiles()).isEmpty();
  }

  @Test
  void refusesAWrongOffsetAndKeepsNothingOfAChunkWhoseChecksumDiffers() throws Exception {
    byte[] bytes =
        Files.readAllBytes(DiscImages.iso9660(dir.resolve("b.iso"), "B", 1 << 20, false, 2));
    String location = create(operator, bytes.length, "b.iso", null).getHeader("Location");
    byte[] half = Arrays.copyOf(bytes, bytes.length / 2);

    assertThat(patch(operator, location, 5, half).statusCode()).isEqualTo(409);
    HttpResponse<Buffer> mismatch =
        request(HttpMethod.PATCH, location, operator)
            .putHeader("Upload-Offset", "0")
            .putHeader("Upload-Checksum", "sha256 " + b64(sha256(new byte[] {1})))
            .sendBuffer(Buffer.buffer(half))
            .await(30, TimeUnit.SECONDS);
    assertThat(mismatch.statusCode()).as(mismatch.bodyAsString()).isEqualTo(460);
    assertThat(offset(operator, location)).isZero();

    HttpResponse<Buffer> matching =
        request(HttpMethod.PATCH, location, operator)
            .putHeader("Upload-Offset", "0")
            .putHeader("Upload-Checksum", "sha256 " + b64(sha256(half)))
            .sendBuffer(Buffer.buffer(half))
            .await(30, TimeUnit.SECONDS);
    assertThat(matching.statusCode()).as(matching.bodyAsString()).isEqualTo(204);
    HttpResponse<Buffer> rest =
        patch(
            operator, location, half.length, Arrays.copyOfRange(bytes, half.length, bytes.length));
    assertThat(rest.statusCode()).as(rest.bodyAsString()).isEqualTo(204);
    assertThat(rest.getHeader("Discs-Image-Id")).isNotNull();
  }

  @Test
  void answersOnlyItsOwnerAndOnlyRolesThatMayUpload() throws Exception {
    String location = create(operator, 1 << 20, "mine.iso", null).getHeader("Location");
    String otto = system.token("otto", OPERATOR_PASSWORD);
    String uma = system.token("uma", "user-password-long");

    assertThat(head(otto, location).statusCode()).isEqualTo(404);
    assertThat(patch(otto, location, 0, new byte[10]).statusCode()).isEqualTo(404);
    assertThat(
            request(HttpMethod.DELETE, location, otto)
                .send()
                .await(10, TimeUnit.SECONDS)
                .statusCode())
        .isEqualTo(404);
    assertThat(create(uma, 1 << 20, "u.iso", null).statusCode()).isEqualTo(403);
    assertThat(offset(operator, location)).isZero();
  }

  @Test
  void speaksTheProtocolStrictly() throws Exception {
    HttpResponse<Buffer> options =
        system
            .client
            .request(HttpMethod.OPTIONS, "/api/v1/uploads")
            .bearerTokenAuthentication(operator)
            .send()
            .await(10, TimeUnit.SECONDS);
    assertThat(options.statusCode()).isEqualTo(204);
    assertThat(options.getHeader("Tus-Version")).isEqualTo("1.0.0");
    assertThat(options.getHeader("Tus-Extension"))
        .contains("creation", "creation-with-upload", "termination", "expiration", "checksum");
    assertThat(options.getHeader("Tus-Checksum-Algorithm")).isEqualTo("sha256");

    String location = create(operator, 4096, "p.iso", null).getHeader("Location");
    HttpResponse<Buffer> noVersion =
        system
            .client
            .request(HttpMethod.HEAD, location)
            .bearerTokenAuthentication(operator)
            .send()
            .await(10, TimeUnit.SECONDS);
    assertThat(noVersion.statusCode()).isEqualTo(412);
    assertThat(noVersion.getHeader("Tus-Version")).isEqualTo("1.0.0");
    HttpResponse<Buffer> wrongType =
        request(HttpMethod.PATCH, location, operator)
            .putHeader("Upload-Offset", "0")
            .putHeader("Content-Type", "application/octet-stream")
            .sendBuffer(Buffer.buffer(new byte[16]))
            .await(10, TimeUnit.SECONDS);
    assertThat(wrongType.statusCode()).isEqualTo(415);
    assertThat(patch(operator, location, 0, new byte[4097]).statusCode()).isEqualTo(413);
    assertThat(offset(operator, location)).isZero();
    assertThat(create(operator, 1L << 40, "huge.iso", null).statusCode()).isEqualTo(413);
    HttpResponse<Buffer> noName =
        request(HttpMethod.POST, "/api/v1/uploads", operator)
            .putHeader("Upload-Length", "4096")
            .send()
            .await(10, TimeUnit.SECONDS);
    assertThat(noName.statusCode()).isEqualTo(400);
    assertThat(noName.getHeader("Content-Type")).isEqualTo("application/problem+json");
  }

  @Test
  void terminationAndARefusedImageLeaveNoFile() throws Exception {
    String kept = create(operator, 1 << 20, "t.iso", null).getHeader("Location");
    assertThat(patch(operator, kept, 0, new byte[1000]).statusCode()).isEqualTo(204);
    assertThat(resumableFiles()).hasSize(1);
    assertThat(
            request(HttpMethod.DELETE, kept, operator)
                .send()
                .await(10, TimeUnit.SECONDS)
                .statusCode())
        .isEqualTo(204);
    assertThat(head(operator, kept).statusCode()).isEqualTo(404);
    assertThat(resumableFiles()).isEmpty();

    byte[] noise = new byte[256 * 1024];
    new java.util.Random(3).nextBytes(noise);
    String refused = create(operator, noise.length, "noise.iso", null).getHeader("Location");
    HttpResponse<Buffer> last = patch(operator, refused, 0, noise);
    assertThat(last.statusCode()).as(last.bodyAsString()).isEqualTo(415);
    assertThat(head(operator, refused).statusCode()).isEqualTo(404);
    assertThat(resumableFiles()).isEmpty();
  }

  @Test
  void createsWithTheFirstChunkInTheSameRequest() throws Exception {
    byte[] bytes =
        Files.readAllBytes(DiscImages.iso9660(dir.resolve("c.iso"), "C", 1 << 20, false, 4));
    HttpResponse<Buffer> created =
        request(HttpMethod.POST, "/api/v1/uploads", operator)
            .putHeader("Upload-Length", String.valueOf(bytes.length))
            .putHeader("Upload-Metadata", "name " + b64("c.iso".getBytes(StandardCharsets.UTF_8)))
            .sendBuffer(Buffer.buffer(Arrays.copyOf(bytes, 300_000)))
            .await(30, TimeUnit.SECONDS);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.getHeader("Upload-Offset")).isEqualTo("300000");
    assertThat(offset(operator, created.getHeader("Location"))).isEqualTo(300_000);
  }

  @Test
  void aCreationThatCompletesTheUploadNamesTheImageAndOneThatFailsLeavesNoUpload()
      throws Exception {
    byte[] bytes =
        Files.readAllBytes(DiscImages.iso9660(dir.resolve("whole.iso"), "W", 1 << 20, false, 41));
    HttpResponse<Buffer> whole = createWholly("whole.iso", bytes);
    assertThat(whole.statusCode()).as(whole.bodyAsString()).isEqualTo(201);
    assertThat(whole.getHeader("Discs-Image-Id")).as("the image the upload became").isNotNull();
    assertThat(whole.getHeader("Discs-Already-Stored")).isNull();

    HttpResponse<Buffer> again = createWholly("again.iso", bytes);
    assertThat(again.getHeader("Discs-Image-Id")).isEqualTo(whole.getHeader("Discs-Image-Id"));
    assertThat(again.getHeader("Discs-Already-Stored"))
        .as("the name sent was not used")
        .isEqualTo("true");

    for (int i = 0; i < 20; i++) {
      HttpResponse<Buffer> refused =
          request(HttpMethod.POST, "/api/v1/uploads", operator)
              .putHeader("Upload-Length", String.valueOf(bytes.length))
              .putHeader(
                  "Upload-Metadata", "name " + b64(("n" + i).getBytes(StandardCharsets.UTF_8)))
              .putHeader("Upload-Checksum", "sha256 " + b64(new byte[32]))
              .sendBuffer(Buffer.buffer(Arrays.copyOf(bytes, 300_000)))
              .await(30, TimeUnit.SECONDS);
      assertThat(refused.statusCode())
          .as("attempt %d: %s", i, refused.bodyAsString())
          .isEqualTo(460);
    }
    HttpResponse<Buffer> stillRoom =
        request(HttpMethod.POST, "/api/v1/uploads", operator)
            .putHeader("Upload-Length", "100000")
            .putHeader(
                "Upload-Metadata", "name " + b64("room.iso".getBytes(StandardCharsets.UTF_8)))
            .send()
            .await(30, TimeUnit.SECONDS);
    assertThat(stillRoom.statusCode())
        .as("20 failed creations held none of the 16 slots")
        .isEqualTo(201);
  }

  /** A creation that carries the whole upload. */
  private HttpResponse<Buffer> createWholly(String name, byte[] bytes) throws Exception {
    return request(HttpMethod.POST, "/api/v1/uploads", operator)
        .putHeader("Upload-Length", String.valueOf(bytes.length))
        .putHeader("Upload-Metadata", "name " + b64(name.getBytes(StandardCharsets.UTF_8)))
        .sendBuffer(Buffer.buffer(bytes))
        .await(30, TimeUnit.SECONDS);
  }

  @Test
  void oneOwnersConcurrentCreationsStopAtTheCap() throws Exception {
    List<io.vertx.core.Future<HttpResponse<Buffer>>> creations = new java.util.ArrayList<>();
    for (int i = 0; i < 150; i++) {
      creations.add(
          request(HttpMethod.POST, "/api/v1/uploads", operator)
              .putHeader("Upload-Length", "100000")
              .putHeader(
                  "Upload-Metadata", "name " + b64(("c" + i).getBytes(StandardCharsets.UTF_8)))
              .send());
    }
    io.vertx.core.Future.join(creations).await(120, TimeUnit.SECONDS);
    long created = creations.stream().filter(f -> f.result().statusCode() == 201).count();
    long refused = creations.stream().filter(f -> f.result().statusCode() == 429).count();
    io.discs.testing.security.SecurityReport.record(
        "Smaller: the tus cap of unfinished uploads is check-then-insert",
        "150 concurrent creations by one operator",
        "16 created, the rest 429",
        created + " created, " + refused + " refused");
    assertThat(created).isEqualTo(16);
    assertThat(refused).isEqualTo(150 - 16);
  }

  @Test
  void keepsWhatArrivedBeforeTheConnectionDroppedAndResumesAfterARestart() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("d.iso"), "DROPPED", 4 << 20, false, 5);
    byte[] bytes = Files.readAllBytes(iso);
    String location =
        create(operator, bytes.length, "d.iso", DiscImages.sha256(iso)).getHeader("Location");

    int sent = 1_500_000;
    RawUploads.tusPatchCutAfter(
        system.discs.httpPort(), location, operator, bytes, sent, () -> system.lentBytes().total());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> offset(operator, location), kept -> kept == sent);

    system = system.restart(Map.of());
    operator = system.token("olga", OPERATOR_PASSWORD);
    assertThat(offset(operator, location)).isEqualTo(sent);
    HttpResponse<Buffer> rest =
        patch(operator, location, sent, Arrays.copyOfRange(bytes, sent, bytes.length));
    assertThat(rest.statusCode()).as(rest.bodyAsString()).isEqualTo(204);
    String imageId = rest.getHeader("Discs-Image-Id");
    assertThat(
            system
                .get("/api/v1/images/" + imageId, operator)
                .bodyAsJsonObject()
                .getString("sha256"))
        .isEqualTo(DiscImages.sha256(iso));
  }

  @Test
  void anExpiredUploadIsRemovedWithItsBytes() throws Exception {
    String location = create(operator, 1 << 20, "e.iso", null).getHeader("Location");
    assertThat(patch(operator, location, 0, new byte[4096]).statusCode()).isEqualTo(204);
    String id = location.substring(location.lastIndexOf('/') + 1);
    try (Connection db =
            DriverManager.getConnection(
                system.config.migrationUrl().jdbcUrl(),
                system.config.migrationUrl().user(),
                system.config.migrationUrl().password());
        Statement sql = db.createStatement()) {
      sql.executeUpdate(
          "UPDATE images.resumable_uploads SET expires_at = now() - interval '1 minute' WHERE id = '"
              + id
              + "'");
    }
    // The sweep runs at start, then every ten minutes.
    system = system.restart(Map.of());
    operator = system.token("olga", OPERATOR_PASSWORD);
    assertThat(head(operator, location).statusCode()).isEqualTo(404);
    assertThat(resumableFiles()).isEmpty();
  }

  private HttpResponse<Buffer> create(String token, long length, String name, String sha)
      throws Exception {
    String metadata = "name " + b64(name.getBytes(StandardCharsets.UTF_8));
    if (sha != null) {
      metadata += ",sha256 " + b64(sha.getBytes(StandardCharsets.US_ASCII));
    }
    return request(HttpMethod.POST, "/api/v1/uploads", token)
        .putHeader("Upload-Length", String.valueOf(length))
        .putHeader("Upload-Metadata", metadata)
        .send()
        .await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> patch(String token, String location, long offset, byte[] chunk)
      throws Exception {
    return request(HttpMethod.PATCH, location, token)
        .putHeader("Upload-Offset", String.valueOf(offset))
        .sendBuffer(Buffer.buffer(chunk))
        .await(30, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> head(String token, String location) throws Exception {
    return request(HttpMethod.HEAD, location, token).send().await(10, TimeUnit.SECONDS);
  }

  private long offset(String token, String location) throws Exception {
    HttpResponse<Buffer> response = head(token, location);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Cache-Control")).isEqualTo("no-store");
    return Long.parseLong(response.getHeader("Upload-Offset"));
  }

  private HttpRequest<Buffer> request(HttpMethod method, String path, String token) {
    HttpRequest<Buffer> request =
        system.client.request(method, path).bearerTokenAuthentication(token);
    MultiMap headers = request.headers();
    headers.set("Tus-Resumable", "1.0.0");
    headers.set("Content-Type", "application/offset+octet-stream");
    return request;
  }

  private java.util.List<Path> resumableFiles() throws Exception {
    Path folder = system.config.dataDir().resolve("images").resolve("resumable");
    if (!Files.isDirectory(folder)) {
      return java.util.List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.toList();
    }
  }

  private static byte[] sha256(byte[] bytes) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
