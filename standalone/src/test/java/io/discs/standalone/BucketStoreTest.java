package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.testing.DiscImages;
import io.discs.testing.S3Proxy;
import io.discs.testing.SystemTools;
import io.discs.transfer.s3.S3Clients;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The whole system on {@code DISCS_STORE=s3} against a real S3-compatible server (s3proxy, its own
 * process): what each kind of upload leaves in the bucket, what a download reads from it, and a
 * mounted disc whose target node fetched the image from it.
 */
class BucketStoreTest {
  private static final String BUCKET = "discs-e2e";

  @TempDir static Path dir;

  private static S3Proxy server;
  private static S3AsyncClient bucket;
  private static TestSystem system;
  private static String operator;
  private static Map<String, String> settings;

  @BeforeAll
  static void start() throws Exception {
    server = S3Proxy.start(Files.createDirectories(dir.resolve("s3")));
    settings = server.discsSettings(BUCKET);
    system = TestSystem.start(settings);
    bucket = S3Clients.create(server.location(BUCKET));
    String admin = system.adminToken();
    system.createUser(admin, "olga", "operator-password-long", "operator");
    operator = system.token("olga", "operator-password-long");
  }

  @AfterAll
  static void stop() throws Exception {
    if (system != null) {
      system.close();
    }
    if (bucket != null) {
      bucket.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void rawUploadsLandUnderTheirDigestOnceAndDownloadByteExact() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("raw.iso"), "RAW", 19 << 20, true, 21);
    String sha256 = DiscImages.sha256(iso);

    JsonObject first = system.uploadImage(operator, "raw.iso", iso);
    JsonObject again = system.uploadImage(operator, "raw-again.iso", iso);

    assertThat(first.getString("sha256")).isEqualTo(sha256);
    assertThat(again.getString("id")).isEqualTo(first.getString("id"));
    assertThat(blobKeys()).containsOnlyOnce("sha256/" + sha256);
    assertThat(stagingLeft()).isZero();

    byte[] bytes = Files.readAllBytes(iso);
    String content = "/api/v1/images/" + first.getString("id") + "/content";
    HttpResponse<Buffer> range =
        system
            .client
            .get(content)
            .bearerTokenAuthentication(operator)
            .putHeader("Range", "bytes=8388000-12582999")
            .send()
            .await(30, TimeUnit.SECONDS);
    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(range.body().getBytes()).isEqualTo(Arrays.copyOfRange(bytes, 8_388_000, 12_583_000));
    Path downloaded =
        Files.write(dir.resolve("raw.download"), system.get(content, operator).body().getBytes());
    assertThat(DiscImages.sha256(downloaded)).isEqualTo(sha256);
  }

  @Test
  void anUploadThatNamesItsDigestLandsUnderIt() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("named.iso"), "NAMED", 17 << 20, false, 27);
    String sha256 = DiscImages.sha256(iso);
    HttpResponse<Buffer> named =
        system
            .client
            .post("/api/v1/images")
            .addQueryParam("name", "named.iso")
            .bearerTokenAuthentication(operator)
            .putHeader("X-Checksum-Sha256", sha256)
            .sendBuffer(Buffer.buffer(Files.readAllBytes(iso)))
            .await(30, TimeUnit.SECONDS);

    assertThat(named.statusCode()).as(named.bodyAsString()).isEqualTo(201);
    assertThat(blobKeys()).containsOnlyOnce("sha256/" + sha256);
    assertThat(stagingLeft()).isZero();
  }

  @Test
  void multipartFormAndTusUploadsLandInTheBucketToo() throws Exception {
    Path formIso = DiscImages.iso9660(dir.resolve("form.iso"), "FORM", 2 << 20, false, 22);
    HttpResponse<Buffer> form =
        system
            .client
            .post("/api/v1/images")
            .bearerTokenAuthentication(operator)
            .sendMultipartForm(
                MultipartForm.create()
                    .binaryFileUpload(
                        "file", "form.iso", formIso.toString(), "application/octet-stream"))
            .await(30, TimeUnit.SECONDS);
    assertThat(form.statusCode()).as(form.bodyAsString()).isEqualTo(201);

    // Chunks that end inside a part: each next request carries the part's bytes on.
    Path tusIso = DiscImages.iso9660(dir.resolve("tus.iso"), "TUS", 21 << 20, false, 23);
    byte[] bytes = Files.readAllBytes(tusIso);
    String location = createUpload("tus.iso", bytes.length);
    int[] ends = {(5 << 20) + 3, (12 << 20) + 7, (16 << 20), bytes.length};
    int at = 0;
    for (int end : ends) {
      HttpResponse<Buffer> sent = patch(location, at, Arrays.copyOfRange(bytes, at, end));
      assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(204);
      assertThat(sent.getHeader("Upload-Offset")).isEqualTo(String.valueOf(end));
      at = end;
    }

    assertThat(blobKeys())
        .contains("sha256/" + DiscImages.sha256(formIso), "sha256/" + DiscImages.sha256(tusIso));
    assertThat(stagingLeft()).as("no staging, no resumable pieces left").isZero();
  }

  @Test
  void aTusChunkCutMidPartKeepsWhatArrivedAndAnotherStartContinuesFromTheBucket() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("cut-tus.iso"), "CUTTUS", 20 << 20, false, 29);
    byte[] bytes = Files.readAllBytes(iso);
    String location = createUpload("cut-tus.iso", bytes.length);
    int sent = (9 << 20) + 512 * 1024; // a whole part and half of the next
    RawUploads.tusPatchCutAfter(
        system.discs.httpPort(), location, operator, bytes, sent, () -> system.lentBytes().total());
    await().atMost(Duration.ofSeconds(10)).until(() -> offset(location) == sent);

    // A new start has no digest in memory: it reads the parts back from the bucket.
    system = system.restart(settings);
    operator = system.token("olga", "operator-password-long");
    assertThat(offset(location)).isEqualTo(sent);
    HttpResponse<Buffer> rest =
        patch(location, sent, Arrays.copyOfRange(bytes, sent, bytes.length));

    assertThat(rest.statusCode()).as(rest.bodyAsString()).isEqualTo(204);
    assertThat(blobKeys()).contains("sha256/" + DiscImages.sha256(iso));
    assertThat(stagingLeft()).isZero();
  }

  @Test
  void anUploadWhosePartsLeftTheBucketIsGoneInWords() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("lost.iso"), "LOST", 12 << 20, false, 30);
    byte[] bytes = Files.readAllBytes(iso);
    String location = createUpload("lost.iso", bytes.length);
    int sent = (3 << 20) + 5;
    assertThat(patch(location, 0, Arrays.copyOfRange(bytes, 0, sent)).statusCode()).isEqualTo(204);
    String id = location.substring(location.lastIndexOf('/') + 1);
    for (S3Object piece :
        bucket
            .listObjectsV2(b -> b.bucket(BUCKET).prefix("resumable/" + id + "/"))
            .join()
            .contents()) {
      bucket.deleteObject(b -> b.bucket(BUCKET).key(piece.key())).join();
    }

    HttpResponse<Buffer> next =
        patch(location, sent, Arrays.copyOfRange(bytes, sent, bytes.length));

    assertThat(next.statusCode()).as(next.bodyAsString()).isEqualTo(410);
    assertThat(next.getHeader("Content-Type")).startsWith("application/problem+json");
    assertThat(next.bodyAsString()).contains("gone from the bucket");
  }

  private long offset(String location) throws Exception {
    HttpResponse<Buffer> head =
        system
            .client
            .request(HttpMethod.HEAD, location)
            .bearerTokenAuthentication(operator)
            .putHeader("Tus-Resumable", "1.0.0")
            .send()
            .await(10, TimeUnit.SECONDS);
    assertThat(head.statusCode()).isEqualTo(200);
    return Long.parseLong(head.getHeader("Upload-Offset"));
  }

  @Test
  void aTusUploadOfStoredBytesKeepsOneObject() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("twice.iso"), "TWICE", 11 << 20, false, 28);
    byte[] bytes = Files.readAllBytes(iso);
    JsonObject raw = system.uploadImage(operator, "twice-raw.iso", iso);
    String location = createUpload("twice-tus.iso", bytes.length);

    HttpResponse<Buffer> sent = patch(location, 0, bytes);

    assertThat(sent.statusCode()).as(sent.bodyAsString()).isEqualTo(204);
    assertThat(blobKeys()).containsOnlyOnce("sha256/" + raw.getString("sha256"));
    assertThat(stagingLeft()).isZero();
  }

  @Test
  void aNonDiscOrTruncatedUploadLeavesNoObjectAndNoMultipartUpload() throws Exception {
    byte[] noise = new byte[9 << 20];
    new Random(24).nextBytes(noise);
    Path full = DiscImages.iso9660(dir.resolve("cut.iso"), "CUT", 12 << 20, false, 25);
    byte[] cut = Arrays.copyOf(Files.readAllBytes(full), 10 << 20);
    List<String> before = blobKeys();

    assertThat(rawUpload("noise.iso", noise).statusCode()).isEqualTo(415);
    assertThat(rawUpload("cut.iso", cut).statusCode()).isEqualTo(422);
    // Sent straight under the digest its client named, but other bytes: never completed.
    HttpResponse<Buffer> lying =
        system
            .client
            .post("/api/v1/images")
            .addQueryParam("name", "lying.iso")
            .bearerTokenAuthentication(operator)
            .putHeader("X-Checksum-Sha256", "ab".repeat(32))
            .sendBuffer(Buffer.buffer(Files.readAllBytes(full)))
            .await(30, TimeUnit.SECONDS);
    assertThat(lying.statusCode()).as(lying.bodyAsString()).isEqualTo(422);

    assertThat(blobKeys()).isEqualTo(before);
    assertThat(stagingLeft()).isZero();
  }

  @Test
  void aTargetNodeFetchesTheImageFromTheBucketAndQemuReadsItByteExact() throws Exception {
    Path qemuImg = SystemTools.require("qemu-img", "qemu-utils");
    Path iso = DiscImages.iso9660(dir.resolve("mount.iso"), "MOUNT", 13 << 20, false, 26);
    JsonObject image = system.uploadImage(operator, "mount.iso", iso);
    String initiator = "iqn.2026-12.test.discs:bucket";
    JsonObject target = system.createTarget(operator, image.getString("id"), initiator, "disk");

    TestSystem.assertReadsWhole(
        qemuImg.toString(),
        TestSystem.qemuIscsi(
            system.config.targets().portal().toString(),
            target.getString("iqn"),
            0,
            initiator,
            target.getJsonObject("chap")),
        dir.resolve("mount.raw"),
        DiscImages.sha256(iso));
  }

  private String createUpload(String name, long length) throws Exception {
    HttpResponse<Buffer> created =
        system
            .client
            .request(HttpMethod.POST, "/api/v1/uploads")
            .bearerTokenAuthentication(operator)
            .putHeader("Tus-Resumable", "1.0.0")
            .putHeader("Upload-Length", String.valueOf(length))
            .putHeader(
                "Upload-Metadata",
                "name " + Base64.getEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8)))
            .send()
            .await(10, TimeUnit.SECONDS);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.getHeader("Location");
  }

  private HttpResponse<Buffer> rawUpload(String name, byte[] bytes) throws Exception {
    return system
        .client
        .post("/api/v1/images")
        .addQueryParam("name", name)
        .bearerTokenAuthentication(operator)
        .sendBuffer(Buffer.buffer(bytes))
        .await(30, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> patch(String location, long offset, byte[] chunk) throws Exception {
    return system
        .client
        .request(HttpMethod.PATCH, location)
        .bearerTokenAuthentication(operator)
        .putHeader("Tus-Resumable", "1.0.0")
        .putHeader("Upload-Offset", String.valueOf(offset))
        .putHeader("Content-Type", "application/offset+octet-stream")
        .sendBuffer(Buffer.buffer(chunk))
        .await(30, TimeUnit.SECONDS);
  }

  private static List<String> blobKeys() {
    return bucket.listObjectsV2(b -> b.bucket(BUCKET).prefix("sha256/")).join().contents().stream()
        .map(S3Object::key)
        .toList();
  }

  private static int stagingLeft() {
    return bucket.listMultipartUploads(b -> b.bucket(BUCKET)).join().uploads().size()
        + bucket.listObjectsV2(b -> b.bucket(BUCKET).prefix("uploads/")).join().contents().size()
        + bucket.listObjectsV2(b -> b.bucket(BUCKET).prefix("resumable/")).join().contents().size();
  }
}
