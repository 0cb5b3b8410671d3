package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.testing.DiscImages;
import io.discs.testing.SystemTools;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target creation slower than every deadline above it: the tgt backend's control socket accepts
 * tgtadm and never answers (a wedged tgtd), so making the target hangs. The target node cuts it at
 * its own limit, which is shorter than what session-service and the gateway wait, so the person
 * gets that reason within the request deadline and nothing of the session's target is left.
 */
class SlowTargetCreationTest {
  private static final int REQUEST_SECONDS = 6;

  @TempDir Path dir;

  @Test
  void aTargetCreationSlowerThanTheDeadlinesIsCutBelowTheGatewayAndLeavesNothing()
      throws Exception {
    SystemTools.require("tgtadm", "tgt");
    // tgtadm refuses control ports above 32767 ("-C argument value out of range").
    int controlPort = 10_000 + ThreadLocalRandom.current().nextInt(20_000);
    Path socket = Path.of("/var/run/tgtd", "socket." + controlPort);
    Files.createDirectories(socket.getParent());
    Files.deleteIfExists(socket);
    List<SocketChannel> held = java.util.Collections.synchronizedList(new ArrayList<>());
    try (ServerSocketChannel wedged = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      wedged.bind(UnixDomainSocketAddress.of(socket));
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(wedged.accept()); // and never answer
                  }
                } catch (Exception closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      try (TestSystem system =
          TestSystem.start(
              Map.of(
                  "DISCS_ISCSI_BACKEND", "tgt",
                  "DISCS_TGT_CONTROL_PORT", String.valueOf(controlPort),
                  "DISCS_REQUEST_TIMEOUT_SECONDS", String.valueOf(REQUEST_SECONDS)))) {
        String admin = system.adminToken();
        Path iso = DiscImages.iso9660(dir.resolve("slow.iso"), "SLOW", 1 << 20, false, 33);
        JsonObject image = system.uploadImage(admin, "slow.iso", iso);

        long began = System.nanoTime();
        HttpResponse<Buffer> started =
            system
                .client
                .post("/api/v1/sessions")
                .bearerTokenAuthentication(admin)
                .sendJsonObject(
                    new JsonObject()
                        .put("imageId", image.getString("id"))
                        .put("initiatorIqn", "iqn.2026-12.test.discs:slow"))
                .await(60, TimeUnit.SECONDS);
        long tookMs = (System.nanoTime() - began) / 1_000_000;

        // The target node's answer (its limit is 70 % of the request deadline), not the
        // gateway's own deadline nor a service that "did not answer".
        assertThat(started.statusCode()).isEqualTo(503);
        assertThat(started.bodyAsJsonObject().getString("detail"))
            .as(started.bodyAsString())
            .contains("took longer than");
        assertThat(tookMs).isLessThan(REQUEST_SECONDS * 1000L);
        JsonObject session =
            system
                .get("/api/v1/sessions", admin)
                .bodyAsJsonObject()
                .getJsonArray("items")
                .getJsonObject(0);
        assertThat(session.getString("state")).isEqualTo("FAILED");
        assertThat(session.getString("reason")).contains("took longer than");
        assertThat(system.get("/api/v1/targets", admin).bodyAsJsonObject().getJsonArray("items"))
            .as("no target row outlives the answer")
            .isEmpty();
      }
    } finally {
      for (SocketChannel channel : held) {
        channel.close();
      }
      Files.deleteIfExists(socket);
    }
  }

  @Test
  void aTargetNodeThatNeverAnswersIsUnavailableNotAnInternalError() throws Exception {
    String ghost = "ghost.test:3260";
    try (TestSystem system = TestSystem.start(Map.of("DISCS_REQUEST_TIMEOUT_SECONDS", "3"))) {
      // A node that says it is live and then never answers a call: wedged mid-call.
      var bus = system.discs.vertx().eventBus();
      bus.consumer(io.discs.platform.Addresses.targetNode(ghost), message -> {})
          .completion()
          .await(10, TimeUnit.SECONDS);
      bus.publish(
          io.discs.platform.Addresses.TARGET_NODES,
          new io.discs.platform.targets.NodePresence(ghost, "ghost-start", ghost, 0).toJson());
      String admin = system.adminToken();
      Path iso = DiscImages.iso9660(dir.resolve("ghost.iso"), "GHOST", 1 << 20, false, 34);
      JsonObject image = system.uploadImage(admin, "ghost.iso", iso);

      HttpResponse<Buffer> started =
          system
              .client
              .post("/api/v1/sessions")
              .bearerTokenAuthentication(admin)
              .sendJsonObject(
                  new JsonObject()
                      .put("imageId", image.getString("id"))
                      .put("initiatorIqn", "iqn.2026-12.test.discs:ghost")
                      .put("node", ghost))
              .await(60, TimeUnit.SECONDS);

      assertThat(started.statusCode()).as(started.bodyAsString()).isEqualTo(503);
      assertThat(started.bodyAsJsonObject().getString("detail")).contains("did not answer in time");
      JsonObject session =
          system
              .get("/api/v1/sessions", admin)
              .bodyAsJsonObject()
              .getJsonArray("items")
              .getJsonObject(0);
      assertThat(session.getString("state")).isEqualTo("FAILED");
    }
  }
}
