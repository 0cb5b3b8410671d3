package io.discs.standalone;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.discs.gateway.auth.AdminBootstrap;
import io.discs.testing.FreePorts;
import io.discs.testing.Processes;
import io.discs.testing.SystemTools;
import io.discs.testing.TempDirs;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The gateway's edge: slow headers, TLS, proxies, the operations listener, names, first start. */
@Tag("security")
class EdgeSecurityTest {

  @Test
  void requestMethodsAClientMakesUpDoNotGrowTheMetrics() throws Exception {
    try (TestSystem system = TestSystem.start(Map.of())) {
      sendDistinctMethods(system.discs.httpPort(), "WARM", 50);
      metricsText(system); // the first scrape adds its own series
      int before = metricsText(system).length();
      int answered = sendDistinctMethods(system.discs.httpPort(), "FOO", 5_000);
      int after = metricsText(system).length();
      io.discs.testing.security.SecurityReport.record(
          "Anonymous clients grow /metrics without bound",
          "5,000 requests, each with a request method of its own",
          "/metrics within a few KB of its size before",
          "/metrics " + before + " bytes before, " + after + " after");
      assertThat(answered).isEqualTo(5_000);
      assertThat(after - before).as("bytes /metrics grew").isLessThan(2_048);
      assertThat(metricsText(system)).contains("method=\"OTHER\"").doesNotContain("FOO1");
    }
  }

  /** Sends {@code count} requests, method {@code prefix}N each; answers how many were answered. */
  private static int sendDistinctMethods(int port, String prefix, int count) throws Exception {
    int answered = 0;
    for (int i = 0; i < count; i++) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(10_000);
        String request = prefix + i + " /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        byte[] status = socket.getInputStream().readNBytes(9);
        if (new String(status, StandardCharsets.US_ASCII).equals("HTTP/1.1 ")) {
          answered++;
        }
      }
    }
    return answered;
  }

  private static String metricsText(TestSystem system) throws Exception {
    return system.client.get("/metrics").send().await(10, TimeUnit.SECONDS).bodyAsString();
  }

  @Test
  void closesAConnectionThatTricklesItsHeaders() throws Exception {
    try (TestSystem system = TestSystem.start(Map.of());
        Socket socket = new Socket("127.0.0.1", system.discs.httpPort())) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      long started = System.nanoTime();
      out.write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      int read = 0;
      for (int i = 0; i < 10 && read >= 0; i++) {
        try {
          out.write('X');
          out.flush();
        } catch (java.io.IOException closed) {
          read = -1;
          break;
        }
        socket.setSoTimeout(2_000);
        try {
          read = in.read();
        } catch (java.net.SocketTimeoutException stillOpen) {
          read = 0;
        } catch (java.io.IOException reset) {
          read = -1;
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      io.discs.testing.security.SecurityReport.record(
          "Slow connections are held forever",
          "half a request header, then a byte every 2 s",
          "closed within 15 s",
          read == -1
              ? (seconds < 15 ? "closed within 15 s" : "closed later")
              : "still open after 20 s");
      assertThat(read).as("closed").isEqualTo(-1);
      assertThat(seconds).isLessThan(15);
    }
  }

  @Test
  void servesTheApiOverTlsFromAPemPair() throws Exception {
    SystemTools.require("openssl", "openssl");
    SystemTools.require("curl", "curl");
    Path dir = TempDirs.create("tls");
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Processes.check(
        List.of(
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            key.toString(),
            "-out",
            cert.toString(),
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1"),
        Duration.ofSeconds(30));
    try (TestSystem system =
        TestSystem.start(
            Map.of("DISCS_TLS_CERT", cert.toString(), "DISCS_TLS_KEY", key.toString()))) {
      String url = "https://127.0.0.1:" + system.discs.httpPort() + "/health";
      Processes.Result trusted =
          Processes.run(
              List.of(
                  "curl",
                  "-sS",
                  "-o",
                  "/dev/null",
                  "-w",
                  "%{http_code}",
                  "--cacert",
                  cert.toString(),
                  url),
              Duration.ofSeconds(30));
      io.discs.testing.security.SecurityReport.record(
          "There is no TLS",
          "curl --cacert (the self-signed certificate) https://…/health",
          "200",
          trusted.output().trim());
      assertThat(trusted.output().trim()).isEqualTo("200");
      Processes.Result untrusted =
          Processes.run(List.of("curl", "-sS", "-o", "/dev/null", url), Duration.ofSeconds(30));
      assertThat(untrusted.ok()).isFalse();

      Path config = dir.resolve("companion");
      java.io.StringWriter out = new java.io.StringWriter();
      java.io.StringWriter err = new java.io.StringWriter();
      System.setIn(
          new java.io.ByteArrayInputStream((TestSystem.ADMIN_PASSWORD + "\n").getBytes(UTF_8)));
      int login =
          io.discs.companion.Companion.commandLine(
                  new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true))
              .execute(
                  "--config-dir",
                  config.toString(),
                  "login",
                  "--server",
                  "https://127.0.0.1:" + system.discs.httpPort(),
                  "--user",
                  "admin",
                  "--password-stdin",
                  "--ca",
                  cert.toString());
      assertThat(login).as(err.toString()).isZero();
      int images =
          io.discs.companion.Companion.commandLine(
                  new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true))
              .execute("--config-dir", config.toString(), "images");
      assertThat(images).as(err.toString()).isZero();
    } finally {
      System.setIn(System.in);
    }
  }

  @Test
  void believesForwardedAddressesOnlyFromTrustedProxies() throws Exception {
    try (TestSystem trusting = TestSystem.start(Map.of("DISCS_TRUSTED_PROXIES", "127.0.0.0/8"))) {
      failLogin(trusting, "X-Forwarded-For", "198.51.100.7, 203.0.113.9");
      failLogin(trusting, "Forwarded", "for=\"[2001:db8::5]:4711\"");
      io.discs.testing.security.SecurityReport.record(
          "Behind a TLS proxy every client shares the proxy's address",
          "failed logins through a trusted proxy with X-Forwarded-For and Forwarded",
          "the audit log records the clients 203.0.113.9 and 2001:db8::5",
          new java.util.TreeSet<>(failedLoginAddresses(trusting)));
      assertThat(failedLoginAddresses(trusting))
          .containsExactlyInAnyOrder("203.0.113.9", "2001:db8::5");
    }
    try (TestSystem plain = TestSystem.start(Map.of())) {
      failLogin(plain, "X-Forwarded-For", "203.0.113.9");
      io.discs.testing.security.SecurityReport.record(
          "Behind a TLS proxy every client shares the proxy's address",
          "a failed login from an untrusted peer claiming X-Forwarded-For: 203.0.113.9",
          "the audit log records the peer 127.0.0.1",
          failedLoginAddresses(plain));
      assertThat(failedLoginAddresses(plain)).containsExactly("127.0.0.1");
    }
  }

  @Test
  void movesTheOperationsEndpointsToTheirOwnListener() throws Exception {
    int management = FreePorts.next();
    try (TestSystem system =
        TestSystem.start(Map.of("DISCS_MANAGEMENT_LISTEN", "127.0.0.1:" + management))) {
      int publicMetrics =
          system.client.get("/metrics").send().await(10, TimeUnit.SECONDS).statusCode();
      io.discs.testing.security.SecurityReport.record(
          "Smaller: /metrics is open to anyone who reaches the API port",
          "GET /metrics on the API port with DISCS_MANAGEMENT_LISTEN set",
          "404 (served on the management listener only)",
          publicMetrics);
      assertThat(publicMetrics).isEqualTo(404);
      assertThat(system.client.get("/ready").send().await(10, TimeUnit.SECONDS).statusCode())
          .isEqualTo(404);
      HttpResponse<Buffer> metrics =
          system.client.get(management, "127.0.0.1", "/metrics").send().await(10, TimeUnit.SECONDS);
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.bodyAsString()).contains("jvm_memory_used_bytes");
      assertThat(
              system
                  .client
                  .get(management, "127.0.0.1", "/health")
                  .send()
                  .await(10, TimeUnit.SECONDS)
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void refusesNamesWithControlCharacters() throws Exception {
    try (TestSystem system = TestSystem.start(Map.of())) {
      String admin = system.adminToken();
      for (String name :
          List.of("bob\u0000", "bob\nTarget 1: x", "b\u001b[31mob", "x".repeat(65))) {
        HttpResponse<Buffer> user =
            system
                .client
                .post("/api/v1/users")
                .bearerTokenAuthentication(admin)
                .sendJsonObject(
                    new JsonObject()
                        .put("username", name)
                        .put("password", "a-long-password-1")
                        .put("roles", new io.vertx.core.json.JsonArray().add("user")))
                .await(10, TimeUnit.SECONDS);
        io.discs.testing.security.SecurityReport.record(
            "Smaller: \"bob\\u0000\" and names with control characters",
            "create user "
                + name.replace("\u0000", "\\u0000").replace("\n", "\\n").replace("\u001b", "\\e"),
            "400",
            user.statusCode());
        assertThat(user.statusCode()).as(name).isEqualTo(400);
      }
      for (String name :
          List.of(
              "disc\n.iso",
              "\u001b]0;owned\u0007.iso",
              "evil\u202Eosi.exe",
              "nul\u0000.iso",
              "mark\u200Eed.iso",
              "rtl\u200F.iso",
              "arabic\u061Cmark.iso",
              "zero\u200Bwidth.iso",
              "iso\u2066late.iso")) {
        HttpResponse<Buffer> upload =
            system
                .client
                .post("/api/v1/images")
                .addQueryParam("name", name)
                .bearerTokenAuthentication(admin)
                .sendBuffer(Buffer.buffer(new byte[4096]))
                .await(10, TimeUnit.SECONDS);
        io.discs.testing.security.SecurityReport.record(
            "Smaller: image names with newlines and terminal escapes are stored raw",
            "upload named "
                + name.replace("\u0000", "\\u0000")
                    .replace("\n", "\\n")
                    .replace("\u001b", "\\e")
                    .replace("\u0007", "\\a")
                    .replace("\u202E", "\\u202E")
                    .replace("\u200E", "\\u200E")
                    .replace("\u200F", "\\u200F")
                    .replace("\u061C", "\\u061C")
                    .replace("\u200B", "\\u200B")
                    .replace("\u2066", "\\u2066"),
            "400",
            upload.statusCode());
        assertThat(upload.statusCode()).as(name).isEqualTo(400);
        assertThat(upload.getHeader("Content-Type")).isEqualTo("application/problem+json");
      }
    }
  }

  @Test
  void writesAGeneratedAdminPasswordToAPrivateFileNotTheLog() throws Exception {
    Logger bootstrap = (Logger) LoggerFactory.getLogger(AdminBootstrap.class);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    bootstrap.addAppender(log);
    try (TestSystem system = TestSystem.start(Map.of("DISCS_ADMIN_PASSWORD", ""))) {
      Path file = system.config.dataDir().resolve(AdminBootstrap.PASSWORD_FILE);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      String password = Files.readString(file).trim();
      assertThat(password).hasSizeGreaterThanOrEqualTo(20);
      assertThat(system.login("admin", password).statusCode()).isEqualTo(200);
      assertThat(log.list).isNotEmpty();
      assertThat(log.list)
          .allSatisfy(event -> assertThat(event.getFormattedMessage()).doesNotContain(password));
      assertThat(log.list.get(0).getFormattedMessage()).contains(file.toString());
      io.discs.testing.security.SecurityReport.record(
          "Smaller: the generated admin password is logged",
          "first start without DISCS_ADMIN_PASSWORD",
          "password only in <data>/initial-admin-password (rw-------), not in the log",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(file))
              + ", in the log: "
              + log.list.stream().anyMatch(e -> e.getFormattedMessage().contains(password)));
    } finally {
      bootstrap.detachAppender(log);
    }
  }

  @Test
  @Tag("security")
  void sealsChapSecretsAtRest() throws Exception {
    try (TestSystem system = TestSystem.start(Map.of())) {
      String admin = system.adminToken();
      Path iso =
          io.discs.testing.DiscImages.iso9660(
              TempDirs.create("chap").resolve("c.iso"), "CHAP", 1 << 20, false, 3);
      JsonObject image = system.uploadImage(admin, "c.iso", iso);
      JsonObject target =
          system.createTarget(admin, image.getString("id"), "iqn.2026-01.test:chap", "disk");
      String secret = target.getJsonObject("chap").getString("secret");
      String stored;
      var owner = system.config.migrationUrl();
      try (var db =
              java.sql.DriverManager.getConnection(
                  owner.jdbcUrl(), owner.user(), owner.password());
          var sql = db.createStatement();
          var rows = sql.executeQuery("SELECT chap_secret FROM targets.targets")) {
        rows.next();
        stored = rows.getString(1);
      }
      io.discs.testing.security.SecurityReport.record(
          "Smaller: CHAP secrets are stored in plain text",
          "read targets.chap_secret of a new target from the database",
          "AES-GCM sealed (v1:…), not the secret the API returned",
          stored.startsWith("v1:") && !stored.contains(secret) ? "sealed (v1:…)" : "plain text");
      assertThat(stored).startsWith("v1:").doesNotContain(secret);
    }
  }

  private static void failLogin(TestSystem system, String header, String value) throws Exception {
    HttpResponse<Buffer> response =
        system
            .client
            .post("/api/v1/auth/token")
            .putHeader(header, value)
            .sendJsonObject(
                new JsonObject().put("username", "admin").put("password", "wrong-password-x"))
            .await(30, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(401);
  }

  private static List<String> failedLoginAddresses(TestSystem system) throws Exception {
    return system
        .get("/api/v1/audit?type=auth.login.failed&limit=100", system.adminToken())
        .bodyAsJsonObject()
        .getJsonArray("items")
        .stream()
        .map(item -> ((JsonObject) item).getString("sourceIp"))
        .toList();
  }
}
