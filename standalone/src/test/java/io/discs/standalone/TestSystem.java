package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.platform.config.DiscsConfig;
import io.discs.platform.launch.Tracing;
import io.discs.platform.metrics.Metrics;
import io.discs.testing.DiscImages;
import io.discs.testing.FreePorts;
import io.discs.testing.Processes;
import io.discs.testing.TempDirs;
import io.discs.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The whole system on a fresh database and data directory, with an HTTP client and an admin. */
final class TestSystem implements AutoCloseable {
  static final String ADMIN_PASSWORD = "admin-password-for-tests";

  final DiscsConfig config;
  final Discs discs;
  final WebClient client;
  private final Vertx clientVertx;

  private TestSystem(DiscsConfig config, Discs discs, Vertx clientVertx, WebClient client) {
    this.config = config;
    this.discs = discs;
    this.clientVertx = clientVertx;
    this.client = client;
  }

  static TestSystem start(Map<String, String> settings) throws Exception {
    return start(settings, null, null, Tracing.off());
  }

  static TestSystem start(Map<String, String> settings, Tracing tracing) throws Exception {
    return start(settings, null, null, tracing);
  }

  /** The whole system on a database of the caller's (its owner role) and a data directory. */
  static TestSystem on(
      Map<String, String> settings,
      io.discs.platform.config.DatabaseUrl owner,
      java.nio.file.Path dataDir)
      throws Exception {
    return start(settings, owner, dataDir, Tracing.off());
  }

  /**
   * Stops this system as a crash would leave it (shared data gone, database and data directory
   * kept) and starts a new one on the same database and data directory.
   */
  TestSystem restart(Map<String, String> settings) throws Exception {
    close();
    return start(settings, config.migrationUrl(), config.dataDir(), Tracing.off());
  }

  private static TestSystem start(
      Map<String, String> settings,
      io.discs.platform.config.DatabaseUrl database,
      java.nio.file.Path dataDir,
      Tracing tracing)
      throws Exception {
    io.discs.platform.config.DatabaseUrl owner =
        database == null ? TestDatabase.freshDatabase() : database;
    Map<String, String> values = new HashMap<>();
    values.put("DISCS_HTTP_PORT", String.valueOf(FreePorts.next()));
    values.put("DISCS_HTTP_HOST", "127.0.0.1");
    int iscsiPort = FreePorts.next();
    values.put("DISCS_ISCSI_PORTAL", "127.0.0.1:" + iscsiPort);
    values.put("DISCS_ISCSI_LISTEN", "127.0.0.1:" + iscsiPort);
    values.put(
        "DISCS_DATA_DIR", (dataDir == null ? TempDirs.create("discs-system") : dataDir).toString());
    values.put("DISCS_ADMIN_PASSWORD", ADMIN_PASSWORD);
    values.putAll(settings);
    DiscsConfig config = DiscsConfig.from(values).withDatabase(TestDatabase.appRole(owner), owner);
    Discs discs = Discs.start(config, Metrics.create(), tracing).await(60, TimeUnit.SECONDS);
    Vertx clientVertx = Vertx.vertx();
    WebClient client =
        WebClient.create(
            clientVertx,
            new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(discs.httpPort()));
    return new TestSystem(config, discs, clientVertx, client);
  }

  /** What the system's upload body taps lent and have not had back. */
  io.discs.transfer.tap.LentBytes lentBytes() {
    return io.discs.transfer.tap.LentBytes.of(discs.vertx());
  }

  HttpResponse<Buffer> login(String username, String password) throws Exception {
    return client
        .post("/api/v1/auth/token")
        .sendJsonObject(new JsonObject().put("username", username).put("password", password))
        .await(30, TimeUnit.SECONDS);
  }

  String token(String username, String password) throws Exception {
    HttpResponse<Buffer> response = login(username, password);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getString("access_token");
  }

  String adminToken() throws Exception {
    return token("admin", ADMIN_PASSWORD);
  }

  void createUser(String adminToken, String username, String password, String... roles)
      throws Exception {
    HttpResponse<Buffer> response =
        client
            .post("/api/v1/users")
            .bearerTokenAuthentication(adminToken)
            .sendJsonObject(
                new JsonObject()
                    .put("username", username)
                    .put("password", password)
                    .put("roles", new JsonArray(java.util.List.of(roles))))
            .await(30, TimeUnit.SECONDS);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
  }

  /** Uploads {@code file} as {@code name} and answers the stored image; fails unless 200 or 201. */
  JsonObject uploadImage(String token, String name, java.nio.file.Path file) throws Exception {
    HttpResponse<Buffer> response =
        client
            .post("/api/v1/images")
            .addQueryParam("name", name)
            .bearerTokenAuthentication(token)
            .sendBuffer(Buffer.buffer(java.nio.file.Files.readAllBytes(file)))
            .await(60, TimeUnit.SECONDS);
    assertThat(response.statusCode()).as(response.bodyAsString()).isIn(200, 201);
    return response.bodyAsJsonObject();
  }

  /** Asks the API for a target; the answer as it comes. */
  io.vertx.core.Future<HttpResponse<Buffer>> requestTarget(
      String token, String imageId, String initiator, String deviceType) {
    return client
        .post("/api/v1/targets")
        .bearerTokenAuthentication(token)
        .sendJsonObject(
            new JsonObject()
                .put("imageId", imageId)
                .put("initiatorIqn", initiator)
                .put("deviceType", deviceType));
  }

  /** Makes a target through the API; fails unless 201. */
  JsonObject createTarget(String token, String imageId, String initiator, String deviceType)
      throws Exception {
    HttpResponse<Buffer> response =
        requestTarget(token, imageId, initiator, deviceType).await(60, TimeUnit.SECONDS);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  /** QEMU's {@code --image-opts} for an iSCSI LUN, logging in as {@code initiator} with CHAP. */
  /**
   * Reads the whole disc through qemu's iSCSI initiator into {@code copy} and checks its SHA-256;
   * the copy goes again afterwards.
   */
  static void assertReadsWhole(String qemuImg, String imageOpts, Path copy, String sha256)
      throws Exception {
    Processes.Result convert =
        Processes.run(
            List.of(qemuImg, "convert", "--image-opts", imageOpts, "-O", "raw", copy.toString()),
            Duration.ofMinutes(5));
    assertThat(convert.exitCode()).as(convert.output()).isZero();
    assertThat(DiscImages.sha256(copy)).isEqualTo(sha256);
    Files.delete(copy);
  }

  static String qemuIscsi(String portal, String iqn, int lun, String initiator, JsonObject chap) {
    return "driver=iscsi,transport=tcp,portal="
        + portal
        + ",target="
        + iqn
        + ",lun="
        + lun
        + ",user="
        + chap.getString("username")
        + ",password="
        + chap.getString("secret")
        + ",initiator-name="
        + initiator;
  }

  /** A listing's items; fails unless 200. */
  JsonArray items(String path, String token) throws Exception {
    HttpResponse<Buffer> response = get(path, token);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("items");
  }

  HttpResponse<Buffer> get(String path, String token) throws Exception {
    return client.get(path).bearerTokenAuthentication(token).send().await(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    clientVertx.close().await(10, TimeUnit.SECONDS);
    assertThat(discs.stop(Duration.ofSeconds(10))).isTrue();
  }
}
