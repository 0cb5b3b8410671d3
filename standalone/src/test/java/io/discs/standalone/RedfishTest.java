package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.testing.DiscImages;
import io.discs.testing.Processes;
import io.discs.testing.SystemTools;
import io.discs.testing.TempDirs;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Redfish VirtualMedia of a person's drive, as provisioning tools use it: curl inserts and
 * ejects, GET says what is in, and what is served validates against DMTF's schemas.
 */
class RedfishTest {
  private static final String PASSWORD = "a long enough password";
  private static final List<String> SCHEMAS =
      List.of(
          "VirtualMedia.v1_6_5.json",
          "VirtualMediaCollection.json",
          "VirtualMedia.json",
          "Resource.json",
          "odata-v4.json",
          "validate.py");
  private TestSystem system;
  private Path dir;
  private String python;

  @AfterEach
  void stop() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void curlInsertsAndEjectsAndTheResourcesFollowDmtfsSchema() throws Exception {
    String curl = SystemTools.require("curl", "curl").toString();
    python = SystemTools.requirePythonModule("jsonschema", "python3-jsonschema").toString();
    dir = TempDirs.create("redfish");
    copySchemas();
    system = TestSystem.start(Map.of());
    String admin = system.adminToken();
    system.createUser(admin, "uma", PASSWORD, "user");
    system.createUser(admin, "vera", PASSWORD, "user");
    JsonObject a =
        system.uploadImage(
            admin, "a.iso", DiscImages.iso9660(dir.resolve("a.iso"), "RF_A", 1 << 20, true, 5));
    JsonObject b =
        system.uploadImage(
            admin, "b.iso", DiscImages.iso9660(dir.resolve("b.iso"), "RF_B", 1 << 20, false, 6));
    String uma = system.token("uma", PASSWORD);
    String driveId = drive(uma, "iqn.2026-12.test:redfish");
    String media = "/redfish/v1/Managers/discs/VirtualMedia/" + driveId;
    String base = "http://127.0.0.1:" + system.discs.httpPort();

    assertThat(system.client.get("/redfish/v1").send().await(10, TimeUnit.SECONDS).statusCode())
        .as("the service root needs no token")
        .isEqualTo(200);
    HttpResponse<Buffer> anonymous = system.client.get(media).send().await(10, TimeUnit.SECONDS);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.bodyAsJsonObject().getJsonObject("error").getString("code"))
        .isEqualTo("Base.1.8.NoValidSession");

    JsonObject collection = redfish("/redfish/v1/Managers/discs/VirtualMedia", uma);
    assertThat(collection.getJsonArray("Members").getJsonObject(0).getString("@odata.id"))
        .isEqualTo(media);
    assertValid("VirtualMediaCollection.json", collection);
    JsonObject empty = redfish(media, uma);
    assertThat(empty.getBoolean("Inserted")).isFalse();
    assertThat(empty.getValue("Image")).isNull();
    assertValid("VirtualMedia.v1_6_5.json", empty);

    String insert =
        empty
            .getJsonObject("Actions")
            .getJsonObject("#VirtualMedia.InsertMedia")
            .getString("target");
    String eject =
        empty
            .getJsonObject("Actions")
            .getJsonObject("#VirtualMedia.EjectMedia")
            .getString("target");
    assertThat(
            curl(
                curl,
                uma,
                base + insert,
                new JsonObject().put("Image", base + "/api/v1/images/" + a.getString("id"))))
        .isEqualTo("204");
    JsonObject inserted = redfish(media, uma);
    assertThat(inserted.getBoolean("Inserted")).isTrue();
    assertThat(inserted.getString("ImageName")).isEqualTo("a.iso");
    assertThat(inserted.getString("Image")).isEqualTo("/api/v1/images/" + a.getString("id"));
    assertThat(inserted.getBoolean("WriteProtected")).isTrue();
    assertValid("VirtualMedia.v1_6_5.json", inserted);

    assertThat(curl(curl, uma, base + insert, new JsonObject().put("Image", b.getString("id"))))
        .as("Redfish asks for an eject before another insert")
        .isEqualTo("409");
    assertThat(
            curl(
                curl,
                uma,
                base + insert,
                new JsonObject().put("Image", "http://example.com/any.iso")))
        .as("no URL is fetched")
        .isEqualTo("400");
    assertThat(curl(curl, uma, base + eject, new JsonObject())).isEqualTo("204");
    assertThat(redfish(media, uma).getBoolean("Inserted")).isFalse();
    assertThat(curl(curl, uma, base + insert, new JsonObject().put("Image", b.getString("id"))))
        .isEqualTo("204");
    assertThat(redfish(media, uma).getString("ImageName")).isEqualTo("b.iso");
    JsonObject drive = system.get("/api/v1/drives/" + driveId, uma).bodyAsJsonObject();
    assertThat(drive.getString("imageId")).isEqualTo(b.getString("id"));

    String vera = system.token("vera", PASSWORD);
    assertThat(
            system
                .client
                .get(media)
                .putHeader("X-Auth-Token", vera)
                .send()
                .await(10, TimeUnit.SECONDS)
                .statusCode())
        .as("another person's drive")
        .isEqualTo(404);
  }

  @Test
  void sushyAsIronicUsesItInsertsAndEjects() throws Exception {
    String sushy = SystemTools.requirePythonModule("sushy", "python3-sushy").toString();
    dir = TempDirs.create("redfish-sushy");
    system = TestSystem.start(Map.of());
    String admin = system.adminToken();
    system.createUser(admin, "uma", PASSWORD, "user");
    JsonObject a =
        system.uploadImage(
            admin, "a.iso", DiscImages.iso9660(dir.resolve("a.iso"), "RF_A", 1 << 20, true, 7));
    String uma = system.token("uma", PASSWORD);
    String driveId = drive(uma, "iqn.2026-12.test:sushy");
    String base = "http://127.0.0.1:" + system.discs.httpPort();
    Path script = dir.resolve("sushy-client.py");
    try (var resource = getClass().getResourceAsStream("/redfish/sushy-client.py")) {
      Files.copy(resource, script);
    }

    Processes.Result run =
        Processes.run(
            List.of(sushy, script.toString()),
            Map.of(
                "BASE",
                base,
                "TOKEN",
                uma,
                "MEDIA",
                "/redfish/v1/Managers/discs/VirtualMedia/" + driveId,
                "IMAGE_A",
                base + "/api/v1/images/" + a.getString("id")),
            Duration.ofMinutes(1));

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output().lines().filter(l -> l.startsWith("SUSHY ")).toList())
        .as(run.output())
        .containsExactly(
            "SUSHY media-types CD,DVD",
            "SUSHY before-inserted False",
            "SUSHY after-insert-inserted True",
            "SUSHY after-insert-image-name a.iso",
            "SUSHY after-eject-inserted False",
            "SUSHY after-eject-image-name None");
  }

  /** A new empty drive of the token's owner; its id. */
  private String drive(String token, String initiator) throws Exception {
    HttpResponse<Buffer> made =
        system
            .client
            .post("/api/v1/drives")
            .bearerTokenAuthentication(token)
            .sendJsonObject(new JsonObject().put("initiatorIqn", initiator))
            .await(60, TimeUnit.SECONDS);
    assertThat(made.statusCode()).as(made.bodyAsString()).isEqualTo(201);
    return made.bodyAsJsonObject().getString("id");
  }

  private JsonObject redfish(String path, String token) throws Exception {
    HttpResponse<Buffer> response =
        system.client.get(path).putHeader("X-Auth-Token", token).send().await(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    assertThat(response.getHeader("OData-Version")).isEqualTo("4.0");
    return response.bodyAsJsonObject();
  }

  /** An action through curl, as a provisioning script sends it; answers the status. */
  private String curl(String curl, String token, String url, JsonObject body) throws Exception {
    Path auth = dir.resolve("auth-header");
    Files.writeString(auth, "X-Auth-Token: " + token + "\n");
    List<String> command =
        new ArrayList<>(
            List.of(
                curl,
                "-s",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code}",
                "-H",
                "@" + auth,
                "-H",
                "Content-Type: application/json",
                "-d",
                body.encode(),
                url));
    Processes.Result result = Processes.run(command, Duration.ofSeconds(30));
    return result.output().strip();
  }

  private void assertValid(String schema, JsonObject document) throws Exception {
    Path file = dir.resolve("document.json");
    Files.writeString(file, document.encode());
    Processes.Result result =
        Processes.run(
            List.of(
                python,
                dir.resolve("schemas").resolve("validate.py").toString(),
                dir.resolve("schemas").toString(),
                schema,
                file.toString()),
            Duration.ofSeconds(60));
    assertThat(result.output().strip()).as(schema + " on " + document.encode()).isEqualTo("valid");
  }

  private void copySchemas() throws Exception {
    Path schemas = Files.createDirectories(dir.resolve("schemas"));
    for (String name : SCHEMAS) {
      try (InputStream in = getClass().getResourceAsStream("/redfish/" + name)) {
        Files.copy(in, schemas.resolve(name));
      }
    }
  }
}
