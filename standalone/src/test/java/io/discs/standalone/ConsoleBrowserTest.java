package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.testing.DiscImages;
import io.discs.testing.Processes;
import io.discs.testing.SystemTools;
import io.discs.testing.TempDirs;
import io.vertx.core.json.JsonArray;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The console in Debian's Chromium, driven by Playwright ({@code console/e2e}) against a whole
 * discs: people, uploads through tus, the mount command, a companion's session ended from the
 * sessions page, the audit log, axe-core on every page. Screenshots land in {@code
 * target/console-screenshots}.
 */
class ConsoleBrowserTest {
  private static final Path CONSOLE = Path.of("..", "console").toAbsolutePath().normalize();
  private TestSystem system;

  @AfterEach
  void stop() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void peopleUploadsSessionsAndTheAuditLogThroughTheConsole() throws Exception {
    Path chromium = SystemTools.require("chromium", "chromium");
    SystemTools.require("node", "nodejs");
    SystemTools.require("sha256sum", "coreutils");
    Path playwright = CONSOLE.resolve("node_modules").resolve(".bin").resolve("playwright");
    assertThat(playwright).as("the console module's build runs npm ci").exists();

    Path work = TempDirs.create("console-e2e");
    DiscImages.iso9660(work.resolve("alpha.iso"), "ALPHA", 20L << 20, true, 71);
    DiscImages.iso9660(work.resolve("bravo.iso"), "BRAVO", 20L << 20, false, 72);
    DiscImages.iso9660(
        work.resolve("<img src=x onerror=alert(1)>.iso"), "HOSTILE", 1L << 20, false, 73);
    Files.writeString(work.resolve("notes.iso"), "meeting notes, not a disc\n".repeat(40_000));
    system = TestSystem.start(Map.of());
    String base = "http://127.0.0.1:" + system.discs.httpPort();

    Map<String, String> env = new HashMap<>();
    env.put("DISCS_URL", base);
    env.put("DISCS_ADMIN_PASSWORD", TestSystem.ADMIN_PASSWORD);
    env.put("CONSOLE_WORK", work.toString());
    env.put(
        "CONSOLE_SCREENSHOTS",
        Path.of("target", "console-screenshots").toAbsolutePath().toString());
    env.put("CONSOLE_TEST_OUTPUT", Path.of("target", "console-e2e").toAbsolutePath().toString());
    env.put("CHROMIUM", chromium.toString());
    env.put("COMPANION", new JsonArray(CompanionCli.command(work.resolve("companion"))).encode());
    env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    List<String> command =
        List.of(
            playwright.toString(),
            "test",
            "--config",
            CONSOLE.resolve("playwright.config.ts").toString());
    Processes.Result run = Processes.run(command, env, Duration.ofMinutes(6));
    assertThat(run.exitCode()).as(run.output()).isZero();
    run.output()
        .lines()
        .filter(line -> line.contains("console first page"))
        .forEach(System.out::println);
    assertThat(Path.of("target", "console-screenshots", "library.png")).exists();
  }

  @Test
  void theJarServesTheConsoleUnderItsContentSecurityPolicy() throws Exception {
    system = TestSystem.start(Map.of());
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + system.discs.httpPort();
    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/")).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("<script type=\"module\" src=\"console.js\"></script>");
    String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(policy).contains("script-src 'self'").contains("frame-ancestors 'none'");
    assertThat(policy).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");

    HttpResponse<byte[]> script =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/console.js"))
                .header("Accept-Encoding", "gzip")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(script.body().length).as("gzipped console.js").isLessThan(150 * 1024);
    String etag = script.headers().firstValue("ETag").orElseThrow();
    HttpResponse<Void> again =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/console.js"))
                .header("If-None-Match", etag)
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(again.statusCode()).isEqualTo(304);

    HttpResponse<String> api =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/images")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(api.headers().firstValue("Content-Security-Policy"))
        .hasValue("default-src 'none'; frame-ancestors 'none'");
    HttpResponse<String> missing =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/nothing.js")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(missing.statusCode()).isEqualTo(404);
  }
}
