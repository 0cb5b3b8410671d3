package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.discs.platform.Addresses;
import io.discs.platform.Caller;
import io.discs.platform.cluster.CallerProofs;
import io.discs.platform.cluster.ClusterKeys;
import io.discs.platform.cluster.HazelcastConfigs;
import io.discs.platform.cluster.MemberCredentials;
import io.discs.platform.config.ClusterConfig;
import io.discs.platform.config.DatabaseUrl;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.events.DomainEvent;
import io.discs.platform.images.BlobLayout;
import io.discs.platform.images.ImageBlobs;
import io.discs.platform.metrics.Metrics;
import io.discs.platform.sessions.Session;
import io.discs.platform.sessions.SessionService;
import io.discs.platform.sessions.SessionStartRequest;
import io.discs.platform.targets.TargetService;
import io.discs.testing.DiscImages;
import io.discs.testing.FreePorts;
import io.discs.testing.Processes;
import io.discs.testing.TempDirs;
import io.discs.testing.TestDatabase;
import io.discs.transfer.tap.LentBytes;
import io.discs.transfer.wire.ImageBytesProtocol;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceProxyBuilder;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
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
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * One jar, any role: two processes' worth of services on a Hazelcast cluster in this JVM, one
 * running the gateway with targets and sessions, the other images and audit. The gateway node
 * answers requests that need the other, and streams uploads to the image node's internal listener;
 * the other serves its operations endpoints alone.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(SideLane.WAITING_CLUSTERS)
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
        LentBytes lent = LentBytes.of(back.vertx());
        long lentBefore = lent.total();
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
        assertThat(lent.total() - lentBefore).isGreaterThanOrEqualTo(Files.size(iso));
        assertThat(lent.outstanding()).isZero();

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
        assertThat(lent.outstanding()).isZero();

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
        assertThat(lent.outstanding()).isZero();

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
        ClusterConfig ours =
            new ClusterConfig(true, List.of("127.0.0.1"), "roles", "127.0.0.1", 5701, null, SECRET);
        MemberCredentials member = MemberCredentials.of(ours);
        CallerProofs callers = CallerProofs.of(null, ours, java.time.Clock.systemUTC());
        byte[] silentHead =
            ("PUT "
                    + ImageBytesProtocol.PATH
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + ImageBytesProtocol.PROOF_HEADER
                    + ": "
                    + member.listenerProof()
                    + "\r\n"
                    + ImageBytesProtocol.REQUEST_HEADER
                    + ": "
                    + ImageBytesProtocol.encodeRequest(
                        new ImageBlobs.IngestRequest(
                            "silent.iso",
                            null,
                            (long) cutDisc.length,
                            callers.seal(new Caller("admin", List.of("admin"), "127.0.0.1"))))
                    + "\r\nContent-Length: "
                    + cutDisc.length
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (Socket socket =
            MemberSockets.connect(MemberSockets.member(member), "127.0.0.1", internal)) {
          socket.getOutputStream().write(silentHead);
          socket.getOutputStream().write(cutDisc, 0, 1 << 20);
          socket.getOutputStream().flush();
          awaitFiles(backTmp, true);
          socket.setSoTimeout(60_000);
          // Closed by the listener after 2 + 10 s; the 60 s read timeout fails the test otherwise.
          assertThat(socket.getInputStream().read()).as("the listener closed it").isEqualTo(-1);
        }
        awaitFiles(backTmp, false);

        // A host without the cluster's keys gets nothing: plain HTTP and TLS without a member's
        // certificate fail before a request is read; a member must still show the proof, and the
        // caller it acts for must be sealed.
        URI blob =
            URI.create(
                "https://127.0.0.1:" + internal + ImageBytesProtocol.blobPath(sha256, 0, 4096));
        assertThatThrownBy(
                () ->
                    http.send(
                        HttpRequest.newBuilder(
                                URI.create(
                                    "http://127.0.0.1:"
                                        + internal
                                        + ImageBytesProtocol.blobPath(sha256, 0, 4096)))
                            .build(),
                        HttpResponse.BodyHandlers.ofString()))
            .as("plain HTTP")
            .isInstanceOf(java.io.IOException.class);
        HttpClient stranger = HttpClient.newBuilder().sslContext(MemberSockets.stranger()).build();
        assertThatThrownBy(
                () ->
                    stranger.send(
                        HttpRequest.newBuilder(blob).build(), HttpResponse.BodyHandlers.ofString()))
            .as("TLS without a member's certificate")
            .isInstanceOf(java.io.IOException.class);
        javax.net.ssl.SSLContext asMember = MemberSockets.member(member);
        assertThat(
                statusLine(
                    asMember,
                    internal,
                    "GET " + ImageBytesProtocol.blobPath(sha256, 0, 4096) + " HTTP/1.1\r\n"))
            .as("a member without the proof")
            .startsWith("HTTP/1.1 401");
        assertThat(
                statusLine(
                    asMember,
                    internal,
                    "PUT "
                        + ImageBytesProtocol.PATH
                        + " HTTP/1.1\r\n"
                        + ImageBytesProtocol.PROOF_HEADER
                        + ": "
                        + member.listenerProof()
                        + "\r\n"
                        + ImageBytesProtocol.REQUEST_HEADER
                        + ": "
                        + ImageBytesProtocol.encodeRequest(
                            new ImageBlobs.IngestRequest(
                                "forged.iso",
                                null,
                                Files.size(iso),
                                new Caller("nobody", List.of("admin"), "127.0.0.1")))
                        + "\r\nContent-Length: "
                        + Files.size(iso)
                        + "\r\n"))
            .as("an upload as a caller nobody sealed")
            .startsWith("HTTP/1.1 401");

        strangersOnTheClusterNetworkGetNothing(cluster, members, portB, front, token, http, iso);
      } finally {
        front.stop(Duration.ofSeconds(20));
      }
    } finally {
      back.stop(Duration.ofSeconds(20));
    }
  }

  /**
   * Security review three: a program with the server jar on its class path that joined the cluster
   * knowing its name started sessions as anyone, listed targets, had forged events sealed into the
   * audit log and took internal-listener traffic. Now a host that knows only the configured name
   * forms a cluster of its own; one that learned the Hazelcast name off the wire joins Hazelcast
   * but not the event bus, whose members show each other certificates of the cluster's CA.
   */
  private static void strangersOnTheClusterNetworkGetNothing(
      String clusterName,
      String members,
      int hazelcastPort,
      Discs front,
      String token,
      HttpClient http,
      Path iso)
      throws Exception {
    List<String> listening =
        Processes.run(List.of("ss", "-Hltn", "sport = :" + hazelcastPort))
            .output()
            .lines()
            .toList();
    assertThat(listening)
        .isNotEmpty()
        .allMatch(
            line ->
                line.matches(".*\\s(\\[::ffff:)?127\\.0\\.0\\.1\\]?:" + hazelcastPort + "\\s.*"));

    Vertx naive = outsider(clusterName, members);
    try {
      assertThatThrownBy(() -> forgedStart(naive))
          .as("a host that knows the cluster's name")
          .isInstanceOf(Exception.class);
    } finally {
      naive.close().await(20, TimeUnit.SECONDS);
    }

    Vertx sniffer =
        outsider(ClusterKeys.fromSecret(SECRET).hazelcastClusterName(clusterName), members);
    try {
      java.util.concurrent.atomic.AtomicInteger asked =
          new java.util.concurrent.atomic.AtomicInteger();
      sniffer
          .eventBus()
          .consumer(
              Addresses.IMAGE_INTERNAL_LISTENER,
              message -> {
                asked.incrementAndGet();
                message.reply("127.0.0.1:1");
              })
          .completion()
          .await(10, TimeUnit.SECONDS);
      sniffer
          .eventBus()
          .publish(
              Addresses.EVENTS,
              DomainEvent.of(
                      "user.deleted",
                      "ghost-of-review-three",
                      "user/alice",
                      DomainEvent.Outcome.SUCCESS,
                      "192.0.2.66",
                      new JsonObject())
                  .toJson());
      assertThatThrownBy(() -> forgedStart(sniffer))
          .as("a host that joined Hazelcast")
          .isInstanceOf(Exception.class);
      TargetService targets =
          new ServiceProxyBuilder(sniffer)
              .setAddress(Addresses.TARGET_SERVICE)
              .setOptions(new DeliveryOptions().setSendTimeout(5_000))
              .build(TargetService.class);
      assertThatThrownBy(() -> targets.list().await(10, TimeUnit.SECONDS))
          .as("listing targets")
          .isInstanceOf(Exception.class);
      for (int i = 0; i < 4; i++) {
        HttpResponse<String> upload =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + front.httpPort()
                                + "/api/v1/images?name=after-the-stranger.iso"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofFile(iso))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isIn(200, 201, 503);
      }
      assertThat(asked).as("internal-listener lookups that reached the stranger").hasValue(0);
      JsonObject audit =
          get(http, front.httpPort(), "/api/v1/audit?actor=ghost-of-review-three", token);
      assertThat(audit.getJsonArray("items")).as("forged events in the audit log").isEmpty();
      io.discs.testing.security.SecurityReport.record(
          "Any host on the cluster network is a full member",
          "join with the cluster name, then with the Hazelcast name; start a session as nobody,"
              + " list targets, publish user.deleted, answer on the internal-listener address",
          "nothing: no session, no listing, no audit row, no internal-listener traffic",
          "refused; "
              + asked.get()
              + " lookups reached it; "
              + audit.getJsonArray("items").size()
              + " audit rows; Hazelcast listens on "
              + listening.size()
              + " socket(s), loopback only");
    } finally {
      sniffer.close().await(20, TimeUnit.SECONDS);
    }
  }

  /** The status line a member's TLS connection gets for a request head (no body is sent). */
  private static String statusLine(javax.net.ssl.SSLContext context, int port, String head)
      throws Exception {
    try (Socket socket = MemberSockets.connect(context, "127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write((head + "Host: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      return new java.io.BufferedReader(
              new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }

  /** A clustered Vert.x with the server's classes, its own self-signed TLS, trusting anyone. */
  private static Vertx outsider(String hazelcastName, String members) throws Exception {
    var hazelcast =
        HazelcastConfigs.tcpIp(
            hazelcastName, "127.0.0.1", FreePorts.next(), List.of(members.split(",")));
    var certificate = io.vertx.core.net.SelfSignedCertificate.create();
    VertxOptions options = new VertxOptions();
    options
        .getEventBusOptions()
        .setHost("127.0.0.1")
        .setClusterPublicHost("127.0.0.1")
        .setSsl(true)
        .setKeyCertOptions(certificate.keyCertOptions())
        .setTrustAll(true);
    return Vertx.builder()
        .with(options)
        .withClusterManager(new HazelcastClusterManager(hazelcast))
        .buildClustered()
        .await(60, TimeUnit.SECONDS);
  }

  private static Session forgedStart(Vertx outsider) throws Exception {
    SessionService sessions =
        new ServiceProxyBuilder(outsider)
            .setAddress(Addresses.SESSION_SERVICE)
            .setOptions(new DeliveryOptions().setSendTimeout(5_000))
            .build(SessionService.class);
    return sessions
        .start(
            SessionStartRequest.of(UUID.randomUUID().toString(), "iqn.2026-01.test:ghost", null),
            new Caller("nobody-at-all", List.of("admin"), null))
        .await(10, TimeUnit.SECONDS);
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
  private static void awaitFiles(Path dir, boolean any) {
    await(dir + (any ? " holding a file" : " empty"))
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              try (var files = Files.list(dir)) {
                return files.findAny().isPresent() == any;
              }
            });
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
