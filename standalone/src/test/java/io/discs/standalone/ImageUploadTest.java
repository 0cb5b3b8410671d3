package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.testing.DiscImages;
import io.discs.testing.SystemTools;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads and downloads through the API, on real images made at test time. */
class ImageUploadTest {
  private static final long MAX_BYTES = 8L << 20;
  private static TestSystem system;
  private static String operator;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    system = TestSystem.start(Map.of("DISCS_MAX_IMAGE_BYTES", String.valueOf(MAX_BYTES)));
    String admin = system.adminToken();
    system.createUser(admin, "olivia", "operator-password", "operator");
    system.createUser(admin, "ursula", "plain-user-password", "user");
    operator = system.token("olivia", "operator-password");
  }

  @AfterAll
  static void stop() throws Exception {
    system.close();
  }

  @Test
  void storesAnImageWhoseDigestMatchesAndServesItsBytesBack() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("debian.iso"), "DEBIAN_12", 2 << 20, false, 11);
    String sha = DiscImages.sha256(iso);

    HttpResponse<Buffer> response =
        upload("debian-12.iso", iso, Map.of("Repr-Digest", reprDigest(sha)));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    JsonObject image = response.bodyAsJsonObject();
    assertThat(response.getHeader("Location")).isEqualTo("/api/v1/images/" + image.getString("id"));
    assertThat(image.getString("name")).isEqualTo("debian-12.iso");
    assertThat(image.getString("sha256")).isEqualTo(sha);
    assertThat(image.getLong("sizeBytes")).isEqualTo(2L << 20);
    assertThat(image.getString("format")).isEqualTo("iso9660");
    assertThat(image.getString("volumeId")).isEqualTo("DEBIAN_12");
    assertThat(image.getBoolean("bootable")).isFalse();
    assertThat(image.getString("createdBy")).isEqualTo("olivia");

    Buffer content =
        system.get("/api/v1/images/" + image.getString("id") + "/content", operator).body();
    assertThat(sha256(content.getBytes())).isEqualTo(sha);
    Path blob = system.config.dataDir().resolve("images/sha256/" + sha.substring(0, 2) + "/" + sha);
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(blob)))
        .isEqualTo("r--r--r--");
    String metrics =
        system.client.get("/metrics").send().await(10, TimeUnit.SECONDS).bodyAsString();
    assertThat(metrics)
        .contains("discs_image_upload_bytes_total", "discs_image_upload_duration_seconds_count");
    // Its value is checked where uploads end every way (UploadBodyTapTest).
    assertThat(metrics).containsPattern("(?m)^discs_image_upload_lent_bytes(\\{[^}]*\\})? ");
    assertThat(metrics)
        .as("both the gauge and the counter are shown")
        .containsPattern("(?m)^discs_image_upload_tapped_bytes_total(\\{[^}]*\\})? [1-9]");
  }

  @Test
  void acceptsTheHexChecksumHeaderAndMultipartForms() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("hex.iso"), "HEX", 1 << 20, false, 12);
    assertThat(
            upload(
                    "hex.iso",
                    iso,
                    Map.of("X-Checksum-Sha256", DiscImages.sha256(iso).toUpperCase(Locale.ROOT)))
                .statusCode())
        .isEqualTo(201);

    Path other = DiscImages.iso9660(dir.resolve("form.iso"), "FORM", 1 << 20, false, 13);
    MultipartForm form =
        MultipartForm.create()
            .attribute("note", "ignored")
            .binaryFileUpload(
                "file", "from-browser.iso", other.toString(), "application/octet-stream");
    HttpResponse<Buffer> response =
        system
            .client
            .post("/api/v1/images")
            .bearerTokenAuthentication(operator)
            .sendMultipartForm(form)
            .await(30, TimeUnit.SECONDS);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    assertThat(response.bodyAsJsonObject().getString("name")).isEqualTo("from-browser.iso");
    assertThat(response.bodyAsJsonObject().getString("sha256")).isEqualTo(DiscImages.sha256(other));
  }

  @Test
  void rejectsAWrongDigestWith422AndKeepsNothing() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("wrong.iso"), "WRONG", 1 << 20, false, 14);
    String sha = DiscImages.sha256(iso);

    HttpResponse<Buffer> response =
        upload("wrong.iso", iso, Map.of("X-Checksum-Sha256", "0".repeat(64)));

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertNothingKeptFor(sha);
  }

  @Test
  void rejectsMalformedDigestHeadersWith400() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("malformed.iso"), "M", 1 << 20, false, 15);
    for (Map<String, String> headers :
        List.of(
            Map.of("X-Checksum-Sha256", "xyz"),
            Map.of("Repr-Digest", "sha-256=notbase64"),
            Map.of("Repr-Digest", "sha-256=:AAAA:"),
            Map.of("Repr-Digest", "md5=:AAAAAAAAAAAAAAAAAAAAAA==:"),
            Map.of(
                "Repr-Digest",
                reprDigest(DiscImages.sha256(iso)),
                "X-Checksum-Sha256",
                "1".repeat(64)))) {
      assertThat(upload("m.iso", iso, headers).statusCode()).as(headers.toString()).isEqualTo(400);
    }
    assertNothingKeptFor(DiscImages.sha256(iso));
  }

  @Test
  void rejectsBytesThatAreNotADiscWith415() throws Exception {
    Path noise = dir.resolve("noise.bin");
    byte[] bytes = new byte[1 << 20];
    new java.util.Random(16).nextBytes(bytes);
    Files.write(noise, bytes);

    HttpResponse<Buffer> response = upload("noise.iso", noise, Map.of());

    assertThat(response.statusCode()).isEqualTo(415);
    assertNothingKeptFor(DiscImages.sha256(noise));
    String metrics =
        system.client.get("/metrics").send().await(10, TimeUnit.SECONDS).bodyAsString();
    assertThat(metrics).contains("discs_image_rejected_total{reason=\"not_a_disc\"}");
  }

  @Test
  void rejectsImagesOverTheLimitWith413DeclaredOrStreamed() throws Exception {
    Path big = DiscImages.iso9660(dir.resolve("big.iso"), "BIG", MAX_BYTES + (1 << 20), false, 17);

    assertThat(upload("big.iso", big, Map.of()).statusCode()).isEqualTo(413);

    HttpResponse<Buffer> chunked =
        system
            .client
            .post("/api/v1/images?name=big.iso")
            .bearerTokenAuthentication(operator)
            .sendStream(
                system
                    .discs
                    .vertx()
                    .fileSystem()
                    .openBlocking(
                        big.toString(), new io.vertx.core.file.OpenOptions().setRead(true)))
            .await(60, TimeUnit.SECONDS);
    assertThat(chunked.statusCode()).as(chunked.bodyAsString()).isEqualTo(413);
    assertNothingKeptFor(DiscImages.sha256(big));
  }

  @Test
  void answersTheExistingImageWhenTheSameBytesArriveAgain() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("twice.iso"), "TWICE", 1 << 20, false, 18);

    HttpResponse<Buffer> first = upload("first name", iso, Map.of());
    HttpResponse<Buffer> second = upload("second name", iso, Map.of());

    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.bodyAsJsonObject().getString("id"))
        .isEqualTo(first.bodyAsJsonObject().getString("id"));
    assertThat(second.bodyAsJsonObject().getString("name")).isEqualTo("first name");
    assertThat(first.getHeader("Discs-Already-Stored")).isNull();
    assertThat(second.getHeader("Discs-Already-Stored"))
        .as("says the name sent was not used")
        .isEqualTo("true");
  }

  @Test
  void refusesAnImageTooSmallForATargetToServe() throws Exception {
    Path tiny = DiscImages.iso9660(dir.resolve("tiny.iso"), "TINY", 40 << 10, false, 19);

    HttpResponse<Buffer> refused = upload("tiny.iso", tiny, Map.of());

    assertThat(refused.statusCode()).as(refused.bodyAsString()).isEqualTo(422);
    assertThat(refused.bodyAsJsonObject().getString("detail")).contains("65536");
  }

  @Test
  void takesEightDifferentUploadsAtOnce() throws Exception {
    List<Future<HttpResponse<Buffer>>> uploads = new ArrayList<>();
    List<String> digests = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Path iso =
          DiscImages.iso9660(
              dir.resolve("many" + i + ".iso"), "MANY" + i, 2 << 20, i % 2 == 0, 100 + i);
      digests.add(DiscImages.sha256(iso));
      uploads.add(
          request("many-" + i + ".iso", Map.of("X-Checksum-Sha256", digests.get(i)))
              .sendBuffer(Buffer.buffer(Files.readAllBytes(iso))));
    }

    Future.all(uploads).await(120, TimeUnit.SECONDS);

    for (int i = 0; i < 8; i++) {
      HttpResponse<Buffer> response = uploads.get(i).result();
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
      assertThat(response.bodyAsJsonObject().getString("sha256")).isEqualTo(digests.get(i));
      assertThat(response.bodyAsJsonObject().getBoolean("bootable")).isEqualTo(i % 2 == 0);
    }
  }

  @Test
  void leavesNothingBehindWhenTheClientDisconnectsHalfway() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("half.iso"), "HALF", 4 << 20, false, 19);
    byte[] bytes = Files.readAllBytes(iso);

    try (Socket socket = new Socket("127.0.0.1", system.discs.httpPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /api/v1/images?name=half.iso HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                  + operator
                  + "\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                  + bytes.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(bytes, 0, bytes.length / 2);
      out.flush();
      // Gone once the server has begun storing it.
      await().atMost(Duration.ofSeconds(10)).until(() -> tempFiles() == 1);
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> tempFiles() == 0);
    assertNothingKeptFor(DiscImages.sha256(iso));
  }

  @Test
  void servesByteExactRangesAndHeadersForHttpBootClients() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("range.iso"), "RANGE", 1 << 20, true, 20);
    byte[] bytes = Files.readAllBytes(iso);
    String id = upload("range.iso", iso, Map.of()).bodyAsJsonObject().getString("id");
    String path = "/api/v1/images/" + id + "/content";

    HttpResponse<Buffer> first = ranged(path, "bytes=0-2047");
    assertThat(first.statusCode()).isEqualTo(206);
    assertThat(first.getHeader("Content-Range")).isEqualTo("bytes 0-2047/" + bytes.length);
    assertThat(first.body().getBytes()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 0, 2048));

    HttpResponse<Buffer> middle = ranged(path, "bytes=32768-");
    assertThat(middle.body().getBytes())
        .isEqualTo(java.util.Arrays.copyOfRange(bytes, 32768, bytes.length));
    HttpResponse<Buffer> tail = ranged(path, "bytes=-10");
    assertThat(tail.body().getBytes())
        .isEqualTo(java.util.Arrays.copyOfRange(bytes, bytes.length - 10, bytes.length));

    HttpResponse<Buffer> outside = ranged(path, "bytes=" + bytes.length + "-");
    assertThat(outside.statusCode()).isEqualTo(416);
    assertThat(outside.getHeader("Content-Range")).isEqualTo("bytes */" + bytes.length);

    HttpResponse<Buffer> head =
        system
            .client
            .head(path)
            .bearerTokenAuthentication(operator)
            .send()
            .await(10, TimeUnit.SECONDS);
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.getHeader("Content-Length")).isEqualTo(String.valueOf(bytes.length));
    assertThat(head.getHeader("ETag")).isEqualTo("\"" + DiscImages.sha256(iso) + "\"");
    assertThat(head.getHeader("Accept-Ranges")).isEqualTo("bytes");

    HttpResponse<Buffer> notModified =
        system
            .client
            .get(path)
            .bearerTokenAuthentication(operator)
            .putHeader("If-None-Match", head.getHeader("ETag"))
            .send()
            .await(10, TimeUnit.SECONDS);
    assertThat(notModified.statusCode()).isEqualTo(304);
  }

  @Test
  void refusesUploadsFromCallersWithoutTheRightRole() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("role.iso"), "ROLE", 1 << 20, false, 21);
    String user = system.token("ursula", "plain-user-password");

    HttpResponse<Buffer> anonymous =
        system
            .client
            .post("/api/v1/images?name=x")
            .sendBuffer(Buffer.buffer(Files.readAllBytes(iso)))
            .await(30, TimeUnit.SECONDS);
    HttpResponse<Buffer> plainUser =
        system
            .client
            .post("/api/v1/images?name=x")
            .bearerTokenAuthentication(user)
            .sendBuffer(Buffer.buffer(Files.readAllBytes(iso)))
            .await(30, TimeUnit.SECONDS);

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(plainUser.statusCode()).isEqualTo(403);
    assertNothingKeptFor(DiscImages.sha256(iso));
  }

  @Test
  void deletingAnImageRemovesItsBlob() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("gone.iso"), "GONE", 1 << 20, false, 22);
    String id = upload("gone.iso", iso, Map.of()).bodyAsJsonObject().getString("id");

    assertThat(
            system
                .client
                .delete("/api/v1/images/" + id)
                .bearerTokenAuthentication(operator)
                .send()
                .await(10, TimeUnit.SECONDS)
                .statusCode())
        .isEqualTo(204);

    assertNothingKeptFor(DiscImages.sha256(iso));
  }

  @Test
  void acceptsImagesMadeByXorrisoAndMkudffs() throws Exception {
    Path xorriso = SystemTools.require("xorriso", "xorriso");
    Path tree = Files.createDirectories(dir.resolve("tree/boot"));
    Files.write(tree.resolve("boot.img"), new byte[4 * 2048]);
    Files.writeString(dir.resolve("tree/README.txt"), "discs test volume\n");
    Path bootable = dir.resolve("xorriso-boot.iso");
    run(
        xorriso.toString(),
        "-as",
        "mkisofs",
        "-quiet",
        "-V",
        "DISCS_BOOT",
        "-b",
        "boot/boot.img",
        "-no-emul-boot",
        "-o",
        bootable.toString(),
        dir.resolve("tree").toString());

    JsonObject image =
        upload("xorriso.iso", bootable, Map.of("X-Checksum-Sha256", DiscImages.sha256(bootable)))
            .bodyAsJsonObject();
    assertThat(image.getString("format")).isEqualTo("iso9660");
    assertThat(image.getString("volumeId")).isEqualTo("DISCS_BOOT");
    assertThat(image.getBoolean("bootable")).isTrue();

    Path udf = DiscImages.mkudffs(dir.resolve("disc.udf"), 8L << 20, "DISCS_UDF");
    HttpResponse<Buffer> response = upload("disc.udf", udf, Map.of());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    assertThat(response.bodyAsJsonObject().getString("format")).isEqualTo("udf");
  }

  private static HttpRequest<Buffer> request(String name, Map<String, String> headers) {
    HttpRequest<Buffer> request =
        system
            .client
            .post("/api/v1/images")
            .addQueryParam("name", name)
            .bearerTokenAuthentication(operator)
            .putHeader("Content-Type", "application/octet-stream")
            .timeout(60_000);
    headers.forEach(request::putHeader);
    return request;
  }

  private static HttpResponse<Buffer> upload(String name, Path file, Map<String, String> headers)
      throws Exception {
    return request(name, headers)
        .sendBuffer(Buffer.buffer(Files.readAllBytes(file)))
        .await(60, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> ranged(String path, String range) throws Exception {
    return system
        .client
        .get(path)
        .bearerTokenAuthentication(operator)
        .putHeader("Range", range)
        .send()
        .await(10, TimeUnit.SECONDS);
  }

  private static void assertNothingKeptFor(String sha) throws Exception {
    Path images = system.config.dataDir().resolve("images");
    assertThat(images.resolve("sha256/" + sha.substring(0, 2) + "/" + sha)).doesNotExist();
    assertThat(tempFiles()).isZero();
    JsonObject all = system.get("/api/v1/images?limit=500", operator).bodyAsJsonObject();
    assertThat(all.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("sha256")))
        .doesNotContain(sha);
  }

  private static long tempFiles() throws Exception {
    Path tmp = system.config.dataDir().resolve("images/tmp");
    if (!Files.isDirectory(tmp)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(tmp)) {
      return files.count();
    }
  }

  private static String reprDigest(String hex) {
    return "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex)) + ":";
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + output).isZero();
  }
}
