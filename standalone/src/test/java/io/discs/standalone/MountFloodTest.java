package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.platform.config.DatabaseUrl;
import io.discs.testing.DiscImages;
import io.discs.testing.FreePorts;
import io.discs.testing.TempDirs;
import io.discs.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The attack of the third security review, against the server as operators run it on a shared host
 * ({@code -Xmx512m}, its own process): one user's one mount logs in with its own CHAP again and
 * again under new ISIDs, each connection with a tiny receive buffer and 64 immediate 256 KiB READs
 * it never reads. Before the cap, 31 such connections ran the heap out and the server never came
 * back. Now logins beyond the target's cap are refused, the Data-In the target holds stays within
 * its budget, {@code /health} answers throughout and another user's reads go on.
 */
class MountFloodTest {
  private static final String MALLORY_IQN = "iqn.2026-01.test.discs:mallory";
  private static final String BOB_IQN = "iqn.2026-01.test.discs:bob";
  private static final int FLOOD_CONNECTIONS = 31;

  @Test
  void oneMountsChapLoggingInAgainAndAgainCannotTakeTheServerDown() throws Exception {
    Path work = TempDirs.create("mount-flood");
    DatabaseUrl owner = TestDatabase.freshDatabase();
    int iscsiPort = FreePorts.next();
    int httpPort = FreePorts.next();
    Map<String, String> env = new HashMap<>();
    env.put("DISCS_DB_OWNER_URL", DiscsProcess.url(owner));
    env.put("DISCS_DB_URL", DiscsProcess.url(TestDatabase.appRole(owner)));
    env.put("DISCS_HTTP_HOST", "127.0.0.1");
    env.put("DISCS_HTTP_PORT", String.valueOf(httpPort));
    env.put("DISCS_ISCSI_LISTEN", "127.0.0.1:" + iscsiPort);
    env.put("DISCS_ISCSI_PORTAL", "127.0.0.1:" + iscsiPort);
    env.put("DISCS_DATA_DIR", work.resolve("data").toString());
    env.put("DISCS_ADMIN_PASSWORD", TestSystem.ADMIN_PASSWORD);
    Vertx vertx = Vertx.vertx();
    List<RawInitiator> flood = new ArrayList<>();
    try (DiscsProcess server = new DiscsProcess("flood", List.of(), env, work).start()) {
      server.awaitReady(Duration.ofSeconds(120));
      WebClient api =
          WebClient.create(
              vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(httpPort));
      Api calls = new Api(api);
      String admin = calls.token("admin", TestSystem.ADMIN_PASSWORD);
      calls.createUser(admin, "mallory", "mallory-password-1");
      calls.createUser(admin, "bob", "bob-password-12");
      Path iso = DiscImages.iso9660(work.resolve("flood.iso"), "FLOOD", 32 << 20, false, 71);
      String imageId = calls.upload(admin, "flood.iso", iso);
      JsonObject mallorys =
          calls.startSession(calls.token("mallory", "mallory-password-1"), imageId, MALLORY_IQN);
      JsonObject bobs = calls.startSession(calls.token("bob", "bob-password-12"), imageId, BOB_IQN);

      AtomicBoolean flooding = new AtomicBoolean(true);
      AtomicInteger bobsReads = new AtomicInteger();
      AtomicReference<Throwable> bobFailed = new AtomicReference<>();
      Thread bob = readForever(iscsiPort, bobs, flooding, bobsReads, bobFailed);
      AtomicInteger healthFailures = new AtomicInteger();
      AtomicInteger healthAnswers = new AtomicInteger();
      Thread health = pollHealth(httpPort, flooding, healthAnswers, healthFailures);

      int admitted = 0;
      int refusedTooMany = 0;
      for (int i = 0; i < FLOOD_CONNECTIONS; i++) {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(1024);
        socket.connect(new InetSocketAddress("127.0.0.1", iscsiPort), 5_000);
        RawInitiator mallory = new RawInitiator(socket, MALLORY_IQN).isid(100 + i);
        flood.add(mallory);
        RawInitiator.Response login = mallory.loginWithChap(mallorys);
        if (login.statusClass() == 0) {
          admitted++;
          mallory.read10(64, 512, true); // 64 × 256 KiB, never read
        } else if (login.statusClass() == 2 && login.header()[37] == 0x06) {
          refusedTooMany++;
        }
      }
      int readsBefore = bobsReads.get();
      Thread.sleep(5_000);
      int readsDuring = bobsReads.get() - readsBefore;
      String metrics = calls.metrics();
      flooding.set(false);
      bob.join(15_000);
      health.join(15_000);

      io.discs.testing.security.SecurityReport.record(
          "One user with one mount exhausts the heap",
          FLOOD_CONNECTIONS
              + " logins of one session's CHAP under new ISIDs, 1 KiB receive buffers, 64"
              + " immediate 256 KiB READs each never read, -Xmx512m",
          "2 sessions admitted, the rest refused (0x0206); /health answers; another user reads",
          "%d admitted, %d refused; /health %d answered, %d not; bob read %d times in 5 s;"
                  .formatted(
                      admitted,
                      refusedTooMany,
                      healthAnswers.get(),
                      healthFailures.get(),
                      readsDuring)
              + " Data-In held %.1f MiB"
                  .formatted(gauge(metrics, "discs_embedded_datain_queued_bytes") / (1 << 20)));
      assertThat(bobFailed.get()).as("bob's reads").isNull();
      assertThat(readsDuring)
          .as("bob's 64 KiB reads in 5 s while the flood holds")
          .isGreaterThan(20);
      assertThat(healthFailures).as("/health unanswered within 2 s").hasValue(0);
      assertThat(healthAnswers.get()).isGreaterThan(10);
      assertThat(gauge(metrics, "discs_embedded_datain_queued_bytes"))
          .as("Data-In held for initiators, within the budget of a 512 MiB heap")
          .isLessThanOrEqualTo(64.0 * (1 << 20));
      assertThat(gauge(metrics, "jvm_memory_used_bytes{area=\"heap\""))
          .isLessThan(512.0 * (1 << 20));
      assertThat(admitted).as("sessions of one target at once").isEqualTo(2);
      assertThat(refusedTooMany).isEqualTo(FLOOD_CONNECTIONS - 2);
    } finally {
      for (RawInitiator initiator : flood) {
        initiator.close();
      }
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Bob reads 64 KiB at a time, at queue depth one, until told to stop. */
  private static Thread readForever(
      int port,
      JsonObject session,
      AtomicBoolean going,
      AtomicInteger reads,
      AtomicReference<Throwable> failed) {
    Thread thread =
        new Thread(
            () -> {
              try (RawInitiator initiator = new RawInitiator("127.0.0.1", port, BOB_IQN)) {
                assertThat(initiator.loginWithChap(session).statusClass()).isZero();
                while (going.get()) {
                  initiator.read10(1, 128, false);
                  assertThat(initiator.readUntilStatus().header()[3]).as("GOOD").isZero();
                  reads.incrementAndGet();
                }
              } catch (Throwable e) {
                failed.set(e);
              }
            },
            "bob");
    thread.start();
    return thread;
  }

  private static Thread pollHealth(
      int port, AtomicBoolean going, AtomicInteger answers, AtomicInteger failures) {
    java.net.http.HttpClient http =
        java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Thread thread =
        new Thread(
            () -> {
              while (going.get()) {
                try {
                  var response =
                      http.send(
                          java.net.http.HttpRequest.newBuilder(
                                  java.net.URI.create("http://127.0.0.1:" + port + "/health"))
                              .timeout(Duration.ofSeconds(2))
                              .build(),
                          java.net.http.HttpResponse.BodyHandlers.discarding());
                  if (response.statusCode() == 200) {
                    answers.incrementAndGet();
                  } else {
                    failures.incrementAndGet();
                  }
                  Thread.sleep(200);
                } catch (InterruptedException e) {
                  return;
                } catch (Exception e) {
                  failures.incrementAndGet();
                }
              }
            },
            "health");
    thread.start();
    return thread;
  }

  private static double gauge(String metrics, String prefix) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(prefix))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** The few API calls the attack needs, against the process's port. */
  private record Api(WebClient client) {
    String token(String user, String password) throws Exception {
      HttpResponse<Buffer> response =
          client
              .post("/api/v1/auth/token")
              .sendJsonObject(new JsonObject().put("username", user).put("password", password))
              .await(30, TimeUnit.SECONDS);
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      return response.bodyAsJsonObject().getString("access_token");
    }

    void createUser(String admin, String user, String password) throws Exception {
      HttpResponse<Buffer> response =
          client
              .post("/api/v1/users")
              .bearerTokenAuthentication(admin)
              .sendJsonObject(
                  new JsonObject()
                      .put("username", user)
                      .put("password", password)
                      .put("roles", new JsonArray().add("user")))
              .await(30, TimeUnit.SECONDS);
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    }

    String upload(String admin, String name, Path file) throws Exception {
      HttpResponse<Buffer> response =
          client
              .post("/api/v1/images")
              .addQueryParam("name", name)
              .bearerTokenAuthentication(admin)
              .sendBuffer(Buffer.buffer(Files.readAllBytes(file)))
              .await(60, TimeUnit.SECONDS);
      assertThat(response.statusCode()).as(response.bodyAsString()).isIn(200, 201);
      return response.bodyAsJsonObject().getString("id");
    }

    JsonObject startSession(String token, String imageId, String initiator) throws Exception {
      HttpResponse<Buffer> response =
          client
              .post("/api/v1/sessions")
              .bearerTokenAuthentication(token)
              .sendJsonObject(
                  new JsonObject()
                      .put("imageId", imageId)
                      .put("initiatorIqn", initiator)
                      .put("deviceType", "disk"))
              .await(60, TimeUnit.SECONDS);
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
      return response.bodyAsJsonObject();
    }

    String metrics() throws Exception {
      return client.get("/metrics").send().await(10, TimeUnit.SECONDS).bodyAsString();
    }
  }
}
