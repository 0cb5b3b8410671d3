package io.discs.standalone;

import static java.util.stream.Collectors.joining;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.platform.config.HostPort;
import io.discs.testing.DiscImages;
import io.discs.testing.FreePorts;
import io.discs.testing.LocalPostgres;
import io.discs.testing.Processes;
import io.discs.testing.S3Proxy;
import io.discs.testing.SystemTools;
import io.discs.testing.TempDirs;
import io.discs.transfer.remote.ListenerDirectory;
import io.discs.transfer.s3.S3Clients;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The services as three processes of the one server jar on a real PostgreSQL server, as a
 * deployment runs them: a gateway; images and audit; targets and sessions. An upload crosses to the
 * image node, the target node fetches the image into its cache and serves it byte-exact, and a
 * {@code kill -9} of the target node ends its session (FAILED, with the reason) and leaves no
 * target behind once it is back.
 */
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(SideLane.WAITING_CLUSTERS)
class ClusterProcessesTest {
  private static final String PASSWORD = "cluster-admin-password";
  private static final String SECRET = "cluster-secret-0123456789abcdef-0123";
  private static final String INITIATOR = "iqn.2026-01.test.discs:cluster-client";

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void threeProcessesServeAMountAndAKilledTargetNodeEndsItsSession() throws Exception {
    String qemuImg = SystemTools.require("qemu-img", "qemu-utils").toString();
    Path work = TempDirs.create("cluster-processes");
    try (LocalPostgres postgres = LocalPostgres.start(List.of(), "127.0.0.1")) {
      int[] hazelcast = {FreePorts.next(), FreePorts.next(), FreePorts.next()};
      Map<String, String> common = common(postgres, hazelcast, 10);
      int iscsi = FreePorts.next();
      Path targetData = work.resolve("targets-data");
      Path imageData = work.resolve("images-data");
      Map<String, String> gatewayEnv =
          node(common, "gateway", hazelcast[0], work.resolve("gateway-data"), Map.of());
      Map<String, String> imagesEnv =
          node(
              common,
              "images,audit",
              hazelcast[1],
              imageData,
              Map.of("DISCS_INTERNAL_LISTEN", "127.0.0.1:" + FreePorts.next()));
      Map<String, String> targetsEnv =
          node(
              common,
              "targets,sessions",
              hazelcast[2],
              targetData,
              Map.of(
                  "DISCS_ISCSI_PORTAL", "127.0.0.1:" + iscsi,
                  "DISCS_ISCSI_LISTEN", "127.0.0.1:" + iscsi));
      DiscsProcess images = new DiscsProcess("images", List.of(), imagesEnv, work).start();
      DiscsProcess targets = new DiscsProcess("targets", List.of(), targetsEnv, work).start();
      DiscsProcess gateway = new DiscsProcess("gateway", List.of(), gatewayEnv, work).start();
      try {
        images.awaitReady(Duration.ofSeconds(120));
        targets.awaitReady(Duration.ofSeconds(120));
        gateway.awaitReady(Duration.ofSeconds(120));
        String token = token(gateway);

        Path iso = DiscImages.iso9660(work.resolve("cluster.iso"), "CLUSTER", 6 << 20, false, 11);
        String sha256 = DiscImages.sha256(iso);
        JsonObject image = upload(gateway, token, iso);
        assertThat(image.getString("sha256")).isEqualTo(sha256);
        // The gateway lent the body's chunks on to the image node and got every one back.
        assertThat(metric(gateway, "discs_image_upload_lent_bytes")).isEqualTo(0.0);
        assertThat(blobsUnder(imageData.resolve("images"))).containsExactly(sha256);
        assertThat(blobsUnder(targetData)).isEmpty();

        JsonObject session = startSession(gateway, token, image.getString("id"), null);
        JsonObject target = session.getJsonObject("target");
        assertThat(target.getString("portal")).isEqualTo("127.0.0.1:" + iscsi);
        String imageOpts =
            TestSystem.qemuIscsi(
                target.getString("portal"),
                target.getString("iqn"),
                target.getInteger("lun"),
                INITIATOR,
                session.getJsonObject("chap"));
        TestSystem.assertReadsWhole(qemuImg, imageOpts, work.resolve("read-1.raw"), sha256);
        assertThat(blobsUnder(targetData.resolve("target-cache")))
            .as("the target node serves its own copy, fetched and checked")
            .containsExactly(sha256);

        targets.kill();
        targets.start().awaitReady(Duration.ofSeconds(120));
        JsonObject failed = awaitState(gateway, token, session.getString("id"), "FAILED");
        assertThat(failed.getString("reason")).contains("restarted");
        HttpResponse<String> beat =
            send(
                gateway,
                token,
                "POST",
                "/api/v1/sessions/" + session.getString("id") + "/heartbeat");
        assertThat(beat.statusCode()).isEqualTo(410);
        assertThat(beat.body()).contains("restarted");
        assertThat(list(gateway, token, "/api/v1/targets")).as("no stray target row").isEmpty();
        Processes.Result stale = Processes.run(List.of(qemuImg, "info", "--image-opts", imageOpts));
        assertThat(stale.exitCode()).as("the old target is gone: " + stale.output()).isNotZero();

        // The node serves again, from the cache it kept.
        JsonObject again = startSession(gateway, token, image.getString("id"), null);
        JsonObject second = again.getJsonObject("target");
        TestSystem.assertReadsWhole(
            qemuImg,
            TestSystem.qemuIscsi(
                second.getString("portal"),
                second.getString("iqn"),
                second.getInteger("lun"),
                INITIATOR,
                again.getJsonObject("chap")),
            work.resolve("read-2.raw"),
            sha256);
        assertThat(
                send(gateway, token, "DELETE", "/api/v1/sessions/" + again.getString("id"))
                    .statusCode())
            .isEqualTo(204);
        assertThat(list(gateway, token, "/api/v1/targets")).isEmpty();
      } catch (AssertionError | RuntimeException e) {
        throw DiscsProcess.withLogs(e, gateway, images, targets);
      } finally {
        gateway.close();
        targets.close();
        images.close();
      }
    }
  }

  @Test
  void sessionsArePlacedOnSeveralTargetNodesAndEndWhenTheirNodeLeaves() throws Exception {
    Path work = TempDirs.create("cluster-target-nodes");
    try (LocalPostgres postgres = LocalPostgres.start(List.of(), "127.0.0.1")) {
      int[] hazelcast = {FreePorts.next(), FreePorts.next(), FreePorts.next()};
      Map<String, String> common = common(postgres, hazelcast, 12);
      common.put("DISCS_RECONCILE_SECONDS", "2");
      String portalA = "127.0.0.1:" + FreePorts.next();
      String portalB = "127.0.0.1:" + FreePorts.next();
      DiscsProcess front =
          new DiscsProcess(
              "front",
              List.of(),
              node(
                  common,
                  "gateway,images,audit,sessions",
                  hazelcast[0],
                  work.resolve("front-data"),
                  Map.of("DISCS_INTERNAL_LISTEN", "127.0.0.1:" + FreePorts.next())),
              work);
      DiscsProcess nodeA =
          new DiscsProcess(
              "node-a", List.of(), targetNode(common, hazelcast[1], work, portalA), work);
      DiscsProcess nodeB =
          new DiscsProcess(
              "node-b", List.of(), targetNode(common, hazelcast[2], work, portalB), work);
      front.start();
      nodeA.start();
      nodeB.start();
      try {
        front.awaitReady(Duration.ofSeconds(120));
        nodeA.awaitReady(Duration.ofSeconds(120));
        nodeB.awaitReady(Duration.ofSeconds(120));
        String token = token(front);
        awaitPortals(front, token, List.of(portalA, portalB));
        Path iso = DiscImages.iso9660(work.resolve("nodes.iso"), "NODES", 2 << 20, false, 12);
        String imageId = upload(front, token, iso).getString("id");

        JsonObject onB = startSession(front, token, imageId, portalB);
        assertThat(onB.getJsonObject("target").getString("portal")).isEqualTo(portalB);
        JsonObject onA = startSession(front, token, imageId, null);
        assertThat(onA.getJsonObject("target").getString("portal"))
            .as("placed on the node with fewer targets")
            .isEqualTo(portalA);
        assertThat(
                post(front, token, "/api/v1/sessions", sessionBody(imageId, "127.0.0.1:9"))
                    .statusCode())
            .as("a pinned node that is not live")
            .isEqualTo(409);

        // Both companions keep beating, as real ones do while their node is gone: onB's lease never
        // lapses, so only the node's loss can end it (else whichever came first, the lapse or the
        // loss, would name the reason).
        send(front, token, "POST", "/api/v1/sessions/" + onB.getString("id") + "/heartbeat");
        nodeB.kill();
        long started = System.nanoTime();
        JsonObject failed =
            await("session on the killed node FAILED")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofSeconds(1))
                .until(
                    () -> {
                      send(
                          front,
                          token,
                          "POST",
                          "/api/v1/sessions/" + onA.getString("id") + "/heartbeat");
                      send(
                          front,
                          token,
                          "POST",
                          "/api/v1/sessions/" + onB.getString("id") + "/heartbeat");
                      return find(list(front, token, "/api/v1/sessions"), onB.getString("id"));
                    },
                    session -> "FAILED".equals(session.getString("state")));
        long tookSeconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        assertThat(failed.getString("state")).as(failed.encode()).isEqualTo("FAILED");
        // A behaviour, not a speed: within one lease of the node's last word (12 s), plus a reaper
        // pass and room for a loaded machine; a second lease would take 24 s.
        assertThat(tookSeconds).as("within one lease").isLessThanOrEqualTo(18);
        assertThat(failed.getString("reason")).contains(portalB).contains("not been heard from");
        assertThat(
                find(list(front, token, "/api/v1/sessions"), onA.getString("id"))
                    .getString("state"))
            .isEqualTo("ACTIVE");
        assertThat(list(front, token, "/api/v1/targets"))
            .as("only the live node's target is left")
            .extracting(t -> ((JsonObject) t).getString("portal"))
            .containsExactly(portalA);

        // Node A's cache holds 3 MiB: beyond it the least recently used image goes, never one a
        // target of A serves.
        Path cacheA = work.resolve("target-" + portalA.replace(':', '-')).resolve("target-cache");
        String second =
            upload(
                    front,
                    token,
                    DiscImages.iso9660(work.resolve("second.iso"), "SECOND", 2 << 20, false, 13))
                .getString("id");
        startSession(front, token, second, portalA);
        assertThat(blobsUnder(cacheA)).as("both in use: kept though beyond the limit").hasSize(2);
        assertThat(
                send(front, token, "DELETE", "/api/v1/sessions/" + onA.getString("id"))
                    .statusCode())
            .isEqualTo(204);
        JsonObject third =
            upload(
                front,
                token,
                DiscImages.iso9660(work.resolve("third.iso"), "THIRD", 2 << 20, false, 14));
        startSession(front, token, third.getString("id"), portalA);
        assertThat(blobsUnder(cacheA))
            .as("the first image, no longer in use, made room")
            .containsExactlyInAnyOrder(
                third.getString("sha256"),
                find(list(front, token, "/api/v1/images"), second).getString("sha256"));

      } catch (AssertionError | RuntimeException e) {
        throw DiscsProcess.withLogs(e, front, nodeA, nodeB);
      } finally {
        front.close();
        nodeA.close();
        nodeB.close();
      }
    }
  }

  @Test
  void twoImageNodesOnABucketContinueATusUploadThroughEitherGatewayAfterOneIsKilled()
      throws Exception {
    Path work = TempDirs.create("cluster-image-nodes");
    try (LocalPostgres postgres = LocalPostgres.start(List.of(), "127.0.0.1");
        S3Proxy s3 = S3Proxy.start(Files.createDirectories(work.resolve("s3")))) {
      int[] hazelcast = {FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next()};
      Map<String, String> common = common(postgres, hazelcast, 12);
      // Two gateways sign and check tokens with one key pair.
      JwtKeys.write(work.resolve("jwt-private.pem"), work.resolve("jwt-public.pem"));
      common.put("DISCS_JWT_PRIVATE_KEY", work.resolve("jwt-private.pem").toString());
      common.put("DISCS_JWT_PUBLIC_KEY", work.resolve("jwt-public.pem").toString());
      Map<String, String> bucket = s3.discsSettings("cluster-images");
      String portal = "127.0.0.1:" + FreePorts.next();
      HostPort listenerX = HostPort.parse("127.0.0.1:" + FreePorts.next());
      HostPort listenerY = HostPort.parse("127.0.0.1:" + FreePorts.next());
      DiscsProcess gatewayA =
          new DiscsProcess(
              "gateway-a",
              List.of(),
              node(
                  common,
                  "gateway,audit,sessions,targets",
                  hazelcast[0],
                  work.resolve("a"),
                  withBucket(
                      bucket, Map.of("DISCS_ISCSI_PORTAL", portal, "DISCS_ISCSI_LISTEN", portal))),
              work);
      DiscsProcess gatewayB =
          new DiscsProcess(
              "gateway-b",
              List.of(),
              node(common, "gateway", hazelcast[1], work.resolve("b"), Map.of()),
              work);
      DiscsProcess imagesX = imageNode("images-x", common, bucket, hazelcast[2], work, listenerX);
      DiscsProcess imagesY = imageNode("images-y", common, bucket, hazelcast[3], work, listenerY);
      List<DiscsProcess> all = List.of(gatewayA, gatewayB, imagesX, imagesY);
      for (DiscsProcess process : all) {
        process.start();
      }
      try {
        for (DiscsProcess process : all) {
          process.awaitReady(Duration.ofSeconds(120));
        }
        String token = token(gatewayA);
        Path iso = DiscImages.iso9660(work.resolve("both.iso"), "BOTH", 26 << 20, false, 31);
        byte[] bytes = Files.readAllBytes(iso);
        String location = createUpload(gatewayA, token, "both.iso", bytes.length);
        String uploadId = location.substring(location.lastIndexOf('/') + 1);
        HostPort first = ListenerDirectory.order(uploadId, List.of(listenerX, listenerY)).get(0);
        DiscsProcess taker = first.equals(listenerX) ? imagesX : imagesY;
        DiscsProcess other = taker == imagesX ? imagesY : imagesX;

        int kept = (10 << 20) + 5;
        assertThat(patch(gatewayA, token, location, 0, bytes, 0, kept).statusCode()).isEqualTo(204);
        // The next chunk is under way through gateway A when the node taking it dies.
        CountDownLatch underWay = new CountDownLatch(1);
        CountDownLatch cut = new CountDownLatch(1);
        var lost =
            http.sendAsync(
                tusPatch(gatewayA, token, location, kept)
                    .method(
                        "PATCH",
                        HttpRequest.BodyPublishers.ofInputStream(
                            () -> stalling(bytes, kept, 6 << 20, underWay, cut)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(underWay.await(60, TimeUnit.SECONDS)).isTrue();
        taker.kill();
        cut.countDown();
        assertThat(
                lost.handle((answer, failure) -> failure != null || answer.statusCode() >= 500)
                    .get(60, TimeUnit.SECONDS))
            .as("the chunk in flight is lost")
            .isTrue();

        // Through the other gateway, as a tus client resumes: the offset first, then the rest from
        // there. Should the gateway have connected only after the kill, the chunk in flight went to
        // the surviving node, which records what arrived before the cut: meanwhile it holds the
        // upload (423) and then its offset moves on. Bytes acknowledged are never lost either way.
        HttpResponse<String> rest =
            await("the rest of the upload through the other node")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(
                    () -> resume(gatewayB, token, location, bytes, kept),
                    answer -> answer.statusCode() == 204);
        assertThat(rest.headers().firstValue("Upload-Offset"))
            .contains(String.valueOf(bytes.length));

        String sha256 = DiscImages.sha256(iso);
        JsonObject image =
            list(gatewayB, token, "/api/v1/images").stream()
                .map(JsonObject.class::cast)
                .filter(item -> sha256.equals(item.getString("sha256")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no image with the file's SHA-256"));
        HttpResponse<byte[]> download =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            gatewayA.base()
                                + "/api/v1/images/"
                                + image.getString("id")
                                + "/content"))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(bytes);
        try (S3AsyncClient client = S3Clients.create(s3.location("cluster-images"))) {
          assertThat(
                  client
                      .listObjectsV2(b -> b.bucket("cluster-images").prefix("resumable/"))
                      .join()
                      .contents())
              .as("the upload's pieces are gone")
              .isEmpty();
        }
        assertThat(
                send(gatewayB, token, "DELETE", "/api/v1/images/" + image.getString("id"))
                    .statusCode())
            .isEqualTo(204);
        assertThat(list(gatewayA, token, "/api/v1/images")).isEmpty();
        other.awaitReady(Duration.ofSeconds(5));
      } catch (AssertionError | RuntimeException e) {
        throw DiscsProcess.withLogs(e, gatewayA, gatewayB, imagesX, imagesY);
      } finally {
        for (DiscsProcess process : all) {
          process.close();
        }
      }
    }
  }

  private static DiscsProcess imageNode(
      String name,
      Map<String, String> common,
      Map<String, String> bucket,
      int clusterPort,
      Path work,
      HostPort listener) {
    return new DiscsProcess(
        name,
        List.of(),
        node(
            common,
            "images",
            clusterPort,
            work.resolve(name),
            withBucket(bucket, Map.of("DISCS_INTERNAL_LISTEN", listener.toString()))),
        work);
  }

  private static Map<String, String> withBucket(
      Map<String, String> bucket, Map<String, String> more) {
    Map<String, String> settings = new HashMap<>(bucket);
    settings.putAll(more);
    return settings;
  }

  private String createUpload(DiscsProcess gateway, String token, String name, long length)
      throws Exception {
    HttpResponse<String> created =
        http.send(
            tusPatch(gateway, token, "/api/v1/uploads", 0)
                .header("Upload-Length", String.valueOf(length))
                .header(
                    "Upload-Metadata",
                    "name "
                        + Base64.getEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    return URI.create(created.headers().firstValue("Location").orElseThrow()).getPath();
  }

  /** A tus request's head: the protocol's headers, the token, the offset it sends from. */
  /**
   * One resumption attempt: HEAD for the offset, then a PATCH with the rest from it; the HEAD's
   * answer when it is not 200.
   */
  private HttpResponse<String> resume(
      DiscsProcess gateway, String token, String location, byte[] bytes, int acknowledged)
      throws Exception {
    HttpResponse<String> head =
        http.send(
            tusPatch(gateway, token, location, 0)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (head.statusCode() != 200) {
      return head;
    }
    int offset = Integer.parseInt(head.headers().firstValue("Upload-Offset").orElseThrow());
    assertThat(offset)
        .as("the bytes acknowledged before the kill")
        .isGreaterThanOrEqualTo(acknowledged);
    return patch(gateway, token, location, offset, bytes, offset, bytes.length);
  }

  private static HttpRequest.Builder tusPatch(
      DiscsProcess gateway, String token, String path, long offset) {
    return HttpRequest.newBuilder(URI.create(gateway.base() + path))
        .header("Authorization", "Bearer " + token)
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Offset", String.valueOf(offset))
        .header("Content-Type", "application/offset+octet-stream");
  }

  private HttpResponse<String> patch(
      DiscsProcess gateway,
      String token,
      String location,
      long offset,
      byte[] bytes,
      int from,
      int to)
      throws Exception {
    return http.send(
        tusPatch(gateway, token, location, offset)
            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes, from, to - from))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * {@code bytes} from {@code from}: {@code before} of them, then it says so and waits for the test
   * to cut it, and fails.
   */
  private static InputStream stalling(
      byte[] bytes, int from, int before, CountDownLatch underWay, CountDownLatch cut) {
    return new InputStream() {
      private int at = from;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] into, int offset, int length) throws IOException {
        if (at >= from + before) {
          underWay.countDown();
          try {
            cut.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new IOException("cut by the test");
        }
        int take = Math.min(length, from + before - at);
        System.arraycopy(bytes, at, into, offset, take);
        at += take;
        return take;
      }
    };
  }

  /** What every process of a test's cluster shares: three members on loopback, short leases. */
  private static Map<String, String> common(LocalPostgres postgres, int[] hazelcast, int lease) {
    Map<String, String> common = new HashMap<>();
    common.put("DISCS_CLUSTER", "true");
    common.put("DISCS_CLUSTER_NAME", "discs-processes-" + UUID.randomUUID());
    common.put(
        "DISCS_CLUSTER_MEMBERS",
        Arrays.stream(hazelcast).mapToObj(port -> "127.0.0.1:" + port).collect(joining(",")));
    common.put("DISCS_CLUSTER_HOST", "127.0.0.1");
    common.put("DISCS_CLUSTER_SECRET", SECRET);
    common.put("DISCS_DB_URL", DiscsProcess.url(postgres.app()));
    common.put("DISCS_DB_OWNER_URL", DiscsProcess.url(postgres.owner()));
    common.put("DISCS_ADMIN_PASSWORD", PASSWORD);
    common.put("DISCS_HTTP_HOST", "127.0.0.1");
    common.put("DISCS_LEASE_SECONDS", String.valueOf(lease));
    common.put("DISCS_HEARTBEAT_SECONDS", "3");
    common.put("DISCS_REAPER_SECONDS", "1");
    return common;
  }

  private static Map<String, String> targetNode(
      Map<String, String> common, int clusterPort, Path work, String portal) {
    return node(
        common,
        "targets",
        clusterPort,
        work.resolve("target-" + portal.replace(':', '-')),
        Map.of(
            "DISCS_ISCSI_PORTAL", portal,
            "DISCS_ISCSI_LISTEN", portal,
            "DISCS_CACHE_MAX_BYTES", String.valueOf(3 << 20)));
  }

  private void awaitPortals(DiscsProcess gateway, String token, List<String> portals)
      throws Exception {
    await("discovery listing " + portals)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> new JsonObject(send(gateway, token, "GET", "/api/v1/discovery").body()),
            discovery -> discovery.getJsonArray("portals").getList().containsAll(portals));
  }

  private static JsonObject find(JsonArray items, String id) {
    return items.stream()
        .map(JsonObject.class::cast)
        .filter(item -> item.getString("id").equals(id))
        .findFirst()
        .orElseThrow();
  }

  /** A metric's value on {@code node}'s /metrics (one without labels). */
  private double metric(DiscsProcess node, String name) throws Exception {
    String metrics =
        http.send(
                HttpRequest.newBuilder(URI.create(node.operations() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return metrics
        .lines()
        .filter(line -> line.startsWith(name + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1).trim()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " on " + node.operations()));
  }

  private JsonObject upload(DiscsProcess gateway, String token, Path iso) throws Exception {
    HttpResponse<String> upload =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(gateway.base() + "/api/v1/images?name=" + iso.getFileName()))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(iso))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
    return new JsonObject(upload.body());
  }

  private static JsonObject sessionBody(String imageId, String node) {
    JsonObject body = new JsonObject().put("imageId", imageId).put("initiatorIqn", INITIATOR);
    return node == null ? body : body.put("node", node);
  }

  private JsonObject startSession(DiscsProcess gateway, String token, String imageId, String node)
      throws Exception {
    HttpResponse<String> answer =
        post(gateway, token, "/api/v1/sessions", sessionBody(imageId, node));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
    return new JsonObject(answer.body());
  }

  private HttpResponse<String> post(
      DiscsProcess gateway, String token, String path, JsonObject body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway.base() + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, String> node(
      Map<String, String> common,
      String services,
      int clusterPort,
      Path data,
      Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(common);
    env.put("DISCS_SERVICES", services);
    env.put("DISCS_CLUSTER_PORT", String.valueOf(clusterPort));
    env.put("DISCS_HTTP_PORT", String.valueOf(FreePorts.next()));
    env.put("DISCS_DATA_DIR", data.toString());
    env.putAll(extra);
    return env;
  }

  private String token(DiscsProcess gateway) throws Exception {
    return CompanionCli.adminToken(http, gateway.base(), PASSWORD);
  }

  private JsonObject awaitState(DiscsProcess gateway, String token, String id, String state)
      throws Exception {
    return await("session " + id + " " + state)
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .ignoreException(java.util.NoSuchElementException.class)
        .until(
            () -> find(list(gateway, token, "/api/v1/sessions"), id),
            session -> state.equals(session.getString("state")));
  }

  private JsonArray list(DiscsProcess gateway, String token, String path) throws Exception {
    HttpResponse<String> answer = send(gateway, token, "GET", path);
    assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
    return new JsonObject(answer.body()).getJsonArray("items");
  }

  private HttpResponse<String> send(DiscsProcess gateway, String token, String method, String path)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(gateway.base() + path))
            .header("Authorization", "Bearer " + token)
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The content-addressed blobs under a directory, by name. */
  private static List<String> blobsUnder(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .map(f -> f.getFileName().toString())
          .filter(name -> name.matches("[0-9a-f]{64}"))
          .toList();
    }
  }
}
