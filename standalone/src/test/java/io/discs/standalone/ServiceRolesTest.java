package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.platform.Caller;
import io.discs.platform.config.DatabaseUrl;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.images.BlobLayout;
import io.discs.platform.images.ImageBlobs;
import io.discs.platform.images.ImageBytesProtocol;
import io.discs.platform.images.LentBuffer;
import io.discs.platform.metrics.Metrics;
import io.discs.testing.DiscImages;
import io.discs.testing.FreePorts;
import io.discs.testing.TempDirs;
import io.discs.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One jar, any role: two processes' worth of services on a Hazelcast cluster in this JVM, one
 * running the gateway with targets and sessions, the other images and audit. The gateway node
 * answers requests that need the other, and streams uploads to the image node's internal listener;
 * the other serves its operations endpoints alone.
 */
class ServiceRolesTest {
  private static final String PASSWORD = "roles-admin-password";
  private static final String SECRET = "roles-cluster-secret-0123456789abcdef";

  @Test
  void servicesSplitAcrossTwoNodesAnswerAsOne() throws Exception {
    DatabaseUrl owner = TestDatabase.freshDatabase();
    DatabaseUrl app = TestDatabase.appRole(owner);
    String cluster = "discs-roles-" + UUID.randomUUID();
    int portA = FreePorts.next();
    int portB = FreePorts.next();
    String members = "127.0.0.1:" + portA + ",127.0.0.1:" + portB;
    int internal = FreePorts.next();
    Path backData = TempDirs.create("roles-images");
    Discs back =
        Discs.start(
                node(
                    "images,audit",
                    cluster,
                    portB,
                    members,
                    owner,
                    app,
                    Map.of(
                        "DISCS_INTERNAL_LISTEN",
                        "127.0.0.1:" + internal,
                        "DISCS_DATA_DIR",
                        backData.toString(),
                        // The listener closes a connection silent for 2 + 10 s.
                        "DISCS_UPLOAD_IDLE_SECONDS",
                        "2")),
                Metrics.create())
            .await(120, TimeUnit.SECONDS);
    try {
      Discs front =
          Discs.start(
                  node(
                      "gateway,targets,sessions",
                      cluster,
                      portA,
                      members,
                      owner,
                      app,
                      Map.of("DISCS_UPLOAD_IDLE_SECONDS", "2")),
                  Metrics.create())
              .await(120, TimeUnit.SECONDS);
      try {
        HttpClient http = HttpClient.newHttpClient();
        JsonObject frontReady = get(http, front.httpPort(), "/ready", null);
        assertThat(frontReady.getString("status")).as(frontReady.encode()).isEqualTo("UP");
        assertThat(frontReady.getJsonArray("runs").getList())
            .containsExactly("gateway", "targets", "sessions");
        JsonObject backReady = get(http, back.httpPort(), "/ready", null);
        assertThat(backReady.getString("status")).as(backReady.encode()).isEqualTo("UP");
        assertThat(backReady.getJsonArray("runs").getList()).containsExactly("images", "audit");

        String token =
            new JsonObject(
                    http.send(
                            HttpRequest.newBuilder(
                                    URI.create(
                                        "http://127.0.0.1:"
                                            + front.httpPort()
                                            + "/api/v1/auth/token"))
                                .header("Content-Type", "application/json")
                                .POST(
                                    HttpRequest.BodyPublishers.ofString(
                                        new JsonObject()
                                            .put("username", "admin")
                                            .put("password", PASSWORD)
                                            .encode()))
                                .build(),
                            HttpResponse.BodyHandlers.ofString())
                        .body())
                .getString("access_token");
        // image-service answers from the other node, over the clustered event bus.
        JsonObject images = get(http, front.httpPort(), "/api/v1/images", token);
        assertThat(images.getJsonArray("items")).isEmpty();
        JsonObject audit = get(http, front.httpPort(), "/api/v1/audit/verify", token);
        assertThat(audit.getBoolean("intact")).isTrue();

        // An upload through the gateway lands in the image node's store, streamed over its
        // internal listener.
        Path iso =
            DiscImages.iso9660(
                TempDirs.create("roles-upload").resolve("roles.iso"), "ROLES", 4 << 20, false, 5);
        long lentBefore = LentBuffer.lentBytesTotal();
        long outstandingBefore = LentBuffer.outstandingBytes();
        HttpResponse<String> upload =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + front.httpPort()
                                + "/api/v1/images?name=roles.iso"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofFile(iso))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
        String sha256 = new JsonObject(upload.body()).getString("sha256");
        assertThat(sha256).isEqualTo(DiscImages.sha256(iso));
        assertThat(BlobLayout.blob(BlobLayout.imagesRoot(backData), sha256)).exists();
        assertThat(get(http, front.httpPort(), "/api/v1/images", token).getJsonArray("items"))
            .hasSize(1);
        // The image node took the body off its listener's connection, as a local gateway does,
        // and gave every chunk back.
        assertThat(LentBuffer.lentBytesTotal() - lentBefore)
            .isGreaterThanOrEqualTo(Files.size(iso));
        assertThat(LentBuffer.outstandingBytes()).isEqualTo(outstandingBefore);

        // A resumable upload's chunks cross to the image node the same way, one after the other on
        // the gateway's pooled connections.
        Path tus =
            DiscImages.iso9660(
                TempDirs.create("roles-tus").resolve("tus.iso"), "ROLESTUS", 3 << 20, false, 6);
        byte[] tusBytes = Files.readAllBytes(tus);
        HttpResponse<String> created =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + front.httpPort() + "/api/v1/uploads"))
                    .header("Authorization", "Bearer " + token)
                    .header("Tus-Resumable", "1.0.0")
                    .header("Upload-Length", String.valueOf(tusBytes.length))
                    .header(
                        "Upload-Metadata",
                        "name "
                            + Base64.getEncoder()
                                .encodeToString("tus.iso".getBytes(StandardCharsets.UTF_8)))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        URI location =
            URI.create("http://127.0.0.1:" + front.httpPort())
                .resolve(created.headers().firstValue("Location").orElseThrow());
        int half = 1_234_567;
        String tusImage = null;
        for (int[] piece : new int[][] {{0, half}, {half, tusBytes.length}}) {
          HttpResponse<String> patched =
              http.send(
                  HttpRequest.newBuilder(location)
                      .header("Authorization", "Bearer " + token)
                      .header("Tus-Resumable", "1.0.0")
                      .header("Upload-Offset", String.valueOf(piece[0]))
                      .header("Content-Type", "application/offset+octet-stream")
                      .method(
                          "PATCH",
                          HttpRequest.BodyPublishers.ofByteArray(
                              tusBytes, piece[0], piece[1] - piece[0]))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(patched.statusCode()).as(patched.body()).isEqualTo(204);
          assertThat(patched.headers().firstValue("Upload-Offset"))
              .hasValue(String.valueOf(piece[1]));
          tusImage = patched.headers().firstValue("Discs-Image-Id").orElse(null);
        }
        assertThat(tusImage).isNotNull();
        assertThat(
                get(http, front.httpPort(), "/api/v1/images/" + tusImage, token)
                    .getString("sha256"))
            .isEqualTo(DiscImages.sha256(tus));
        assertThat(LentBuffer.outstandingBytes()).isEqualTo(outstandingBefore);

        // Downloads come back from the image node the same way, whole and by range.
        String imageId = new JsonObject(upload.body()).getString("id");
        URI content =
            URI.create(
                "http://127.0.0.1:" + front.httpPort() + "/api/v1/images/" + imageId + "/content");
        HttpResponse<byte[]> whole =
            http.send(
                HttpRequest.newBuilder(content).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(Files.readAllBytes(iso));
        HttpResponse<byte[]> part =
            http.send(
                HttpRequest.newBuilder(content)
                    .header("Authorization", "Bearer " + token)
                    .header("Range", "bytes=32768-36863")
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.body())
            .isEqualTo(Arrays.copyOfRange(Files.readAllBytes(iso), 32768, 36864));

        // A refusal on the image node reaches the client as it would locally, and leaves nothing.
        HttpResponse<String> notADisc =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + front.httpPort() + "/api/v1/images?name=x.iso"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1 << 20]))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notADisc.statusCode()).as(notADisc.body()).isEqualTo(415);
        assertThat(notADisc.headers().firstValue("Content-Type"))
            .hasValue("application/problem+json");
        try (var left = Files.list(BlobLayout.imagesRoot(backData).resolve("tmp"))) {
          assertThat(left).isEmpty();
        }

        // A client gone in the middle of a chunked upload leaves nothing on the image node: the
        // gateway resets its call there rather than ending it (which would look like a whole
        // upload). The disc claims 1 MiB and more than that arrives, so only the cut can tell.
        byte[] cutDisc =
            Arrays.copyOf(
                Files.readAllBytes(
                    DiscImages.iso9660(
                        TempDirs.create("roles-cut").resolve("cut.iso"), "CUT", 1 << 20, false, 7)),
                6 << 20);
        byte[] cutRequest = RawUploads.chunked(token, "cut.iso", cutDisc, 64 << 10);
        int imagesBeforeCut =
            get(http, front.httpPort(), "/api/v1/images", token).getJsonArray("items").size();
        Path backTmp = BlobLayout.imagesRoot(backData).resolve("tmp");
        try (Socket socket = new Socket("127.0.0.1", front.httpPort())) {
          socket.getOutputStream().write(cutRequest, 0, cutRequest.length / 2);
          socket.getOutputStream().flush();
          awaitFiles(backTmp, true);
        }
        awaitFiles(backTmp, false);
        assertThat(get(http, front.httpPort(), "/api/v1/images", token).getJsonArray("items"))
            .hasSize(imagesBeforeCut);
        assertThat(LentBuffer.outstandingBytes()).isEqualTo(outstandingBefore);

        // A client that falls silent is told so (408) by the gateway, which resets its call to
        // the image node: nothing is kept there either.
        try (Socket socket = new Socket("127.0.0.1", front.httpPort())) {
          socket.setSoTimeout(30_000);
          socket
              .getOutputStream()
              .write(RawUploads.head(token, "silent.iso", cutDisc.length, null));
          socket.getOutputStream().write(cutDisc, 0, 1 << 20);
          socket.getOutputStream().flush();
          assertThat(RawUploads.readAnswer(socket.getInputStream())).startsWith("HTTP/1.1 408");
        }
        awaitFiles(backTmp, false);

        // A gateway gone without a word (a host down, a cable cut) in the middle of an upload:
        // the listener closes the silent connection and lets the upload's file go.
        byte[] silentHead =
            ("PUT "
                    + ImageBytesProtocol.PATH
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + ImageBytesProtocol.SECRET_HEADER
                    + ": "
                    + SECRET
                    + "\r\n"
                    + ImageBytesProtocol.REQUEST_HEADER
                    + ": "
                    + ImageBytesProtocol.encodeRequest(
                        new ImageBlobs.IngestRequest(
                            "silent.iso",
                            null,
                            (long) cutDisc.length,
                            new Caller("admin", List.of("admin"), "127.0.0.1")))
                    + "\r\nContent-Length: "
                    + cutDisc.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket("127.0.0.1", internal)) {
          socket.getOutputStream().write(silentHead);
          socket.getOutputStream().write(cutDisc, 0, 1 << 20);
          socket.getOutputStream().flush();
          awaitFiles(backTmp, true);
          socket.setSoTimeout(60_000);
          // Closed by the listener after 2 + 10 s; the 60 s read timeout fails the test otherwise.
          assertThat(socket.getInputStream().read()).as("the listener closed it").isEqualTo(-1);
        }
        awaitFiles(backTmp, false);

        // Without the cluster secret the listener gives and takes nothing.
        HttpResponse<String> peek =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + internal
                                + ImageBytesProtocol.blobPath(sha256, 0, 4096)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(peek.statusCode()).isEqualTo(401);
        HttpResponse<String> stranger =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + internal + ImageBytesProtocol.PATH))
                    .header(ImageBytesProtocol.SECRET_HEADER, "not-the-cluster-secret-at-all-0000")
                    .PUT(HttpRequest.BodyPublishers.ofFile(iso))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stranger.statusCode()).isEqualTo(401);
      } finally {
        front.stop(Duration.ofSeconds(20));
      }
    } finally {
      back.stop(Duration.ofSeconds(20));
    }
  }

  private static DiscsConfig node(
      String services,
      String cluster,
      int clusterPort,
      String members,
      DatabaseUrl owner,
      DatabaseUrl app,
      Map<String, String> extra)
      throws Exception {
    int iscsi = FreePorts.next();
    Map<String, String> values = new HashMap<>();
    values.put("DISCS_SERVICES", services);
    values.put("DISCS_CLUSTER", "true");
    values.put("DISCS_CLUSTER_NAME", cluster);
    values.put("DISCS_CLUSTER_HOST", "127.0.0.1");
    values.put("DISCS_CLUSTER_PORT", String.valueOf(clusterPort));
    values.put("DISCS_CLUSTER_MEMBERS", members);
    values.put("DISCS_HTTP_HOST", "127.0.0.1");
    values.put("DISCS_HTTP_PORT", String.valueOf(FreePorts.next()));
    values.put("DISCS_ISCSI_PORTAL", "127.0.0.1:" + iscsi);
    values.put("DISCS_ISCSI_LISTEN", "127.0.0.1:" + iscsi);
    values.put("DISCS_DATA_DIR", TempDirs.create("roles").toString());
    values.put("DISCS_ADMIN_PASSWORD", PASSWORD);
    values.put("DISCS_CLUSTER_SECRET", SECRET);
    values.putAll(extra);
    return DiscsConfig.from(values).withDatabase(app, owner);
  }

  /** Until {@code dir} holds a file ({@code any}) or none, for up to 30 s. */
  private static void awaitFiles(Path dir, boolean any) throws Exception {
    for (int i = 0; i < 300; i++) {
      try (var files = Files.list(dir)) {
        if (files.findAny().isPresent() == any) {
          return;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(dir + (any ? " stayed empty" : " kept a file"));
  }

  private static JsonObject get(HttpClient http, int port, String path, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new JsonObject(answer.body());
  }
}
