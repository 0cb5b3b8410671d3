package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.testing.DiscImages;
import io.discs.testing.Processes;
import io.discs.testing.SystemTools;
import io.discs.testing.TempDirs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reference tus client, tus-js-client from npm under Node, uploads half an image in 4 MiB
 * chunks, the server restarts, and the same client resumes from the upload's URL.
 */
class TusJsClientTest {
  private static final String TUS_JS_CLIENT = "tus-js-client@4.3.1";
  private TestSystem system;

  @AfterEach
  void stop() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void tusJsClientResumesAnUploadAcrossAServerRestart() throws Exception {
    Path client = tusJsClient();
    Path dir = TempDirs.create("tus-js");
    Path iso = DiscImages.iso9660(dir.resolve("forty.iso"), "FORTY", 40L << 20, false, 40);
    String sha = DiscImages.sha256(iso);
    system = TestSystem.start(Map.of());
    system.createUser(system.adminToken(), "olga", "operator-password-long", "operator");
    Path token = dir.resolve("token");
    Files.writeString(token, system.token("olga", "operator-password-long"));

    JsonObject half =
        node(client, "half", base() + "/api/v1/uploads", token, iso, "forty.iso", sha);
    String url = half.getString("url");
    assertThat(url).as(half.encode()).contains("/api/v1/uploads/");
    assertThat(half.getLong("accepted")).isBetween(20L << 20, (40L << 20) - 1);

    system = system.restart(Map.of());
    Files.writeString(token, system.token("olga", "operator-password-long"));
    String resumedUrl = base() + url.substring(url.indexOf("/api/v1/uploads/"));
    JsonObject done = node(client, "resume", resumedUrl, token, iso);

    assertThat(done.getString("imageId")).as(done.encode()).isNotNull();
    JsonArray images =
        system
            .get("/api/v1/images", system.token("olga", "operator-password-long"))
            .bodyAsJsonObject()
            .getJsonArray("items");
    assertThat(images).hasSize(1);
    assertThat(images.getJsonObject(0).getString("sha256")).isEqualTo(sha);
    assertThat(images.getJsonObject(0).getString("id")).isEqualTo(done.getString("imageId"));
    assertThat(images.getJsonObject(0).getString("name")).isEqualTo("forty.iso");
  }

  private String base() {
    return "http://127.0.0.1:" + system.discs.httpPort();
  }

  private static JsonObject node(
      Path client, String mode, String where, Path token, Path file, String... more)
      throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "node",
                client.resolve("tus-upload.mjs").toString(),
                mode,
                where,
                token.toString(),
                file.toString()));
    command.addAll(List.of(more));
    return run(command);
  }

  private static JsonObject run(List<String> command) throws Exception {
    Processes.Result result = Processes.run(command, Duration.ofMinutes(2));
    String output = result.output().trim();
    String last = output.substring(output.lastIndexOf('\n') + 1);
    assertThat(result.ok()).as(output).isTrue();
    return new JsonObject(last);
  }

  /**
   * tus-js-client beside our script: the console's (the console module's build installed it from
   * its lockfile), else installed from npm once per build into the build folder.
   */
  private static Path tusJsClient() throws Exception {
    SystemTools.require("node", "nodejs");
    Path home = Path.of("target", "tus-js-client").toAbsolutePath();
    Files.createDirectories(home);
    Path console = Path.of("..", "console", "node_modules").toAbsolutePath().normalize();
    Path modules = home.resolve("node_modules");
    if (!Files.exists(modules, java.nio.file.LinkOption.NOFOLLOW_LINKS)
        && Files.isDirectory(console.resolve("tus-js-client"))) {
      Files.createSymbolicLink(modules, console);
    }
    if (!Files.isDirectory(modules.resolve("tus-js-client"))) {
      SystemTools.require("npm", "npm");
      Processes.check(
          List.of(
              "npm",
              "install",
              "--prefix",
              home.toString(),
              "--no-audit",
              "--no-fund",
              "--loglevel=error",
              TUS_JS_CLIENT),
          Duration.ofMinutes(3));
    }
    try (InputStream script = TusJsClientTest.class.getResourceAsStream("/tus/tus-upload.mjs")) {
      Files.copy(script, home.resolve("tus-upload.mjs"), StandardCopyOption.REPLACE_EXISTING);
    }
    return home;
  }
}
