package io.discs.companion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompanionTest {
  @TempDir Path dir;

  @Test
  void answersHelpAndVersionAndRefusesUnknownOptions() {
    assertThat(run("--help").code).isZero();
    assertThat(run("--version").code).isZero();
    assertThat(run("--no-such-option").code).isEqualTo(2);
  }

  @Test
  void saysInOneLineThatItIsNotLoggedIn() {
    Result result = run("--config-dir", dir.toString(), "images");

    assertThat(result.code).isNotZero();
    assertThat(result.err.strip())
        .isEqualTo(
            "discs-companion: not logged in: run 'discs-companion login --server URL --user NAME' first");
  }

  @Test
  void saysInOneLineThatTheServerIsUnreachable() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    new Credentials("http://127.0.0.1:" + port, "alice", "token", null).save(dir);

    Result result = run("--config-dir", dir.toString(), "sessions");

    assertThat(result.code).isEqualTo(3);
    assertThat(result.err.lines()).hasSize(1);
    assertThat(result.err)
        .startsWith("discs-companion: server unreachable at http://127.0.0.1:" + port);
  }

  @Test
  void printsWhatAServerSendsWithoutItsEscapesNewlinesOrBidiControls() throws Exception {
    String hostile = "x\u001b]0;owned\u0007\nsession 1 ENDED\u202E\u2066\u200B";
    com.sun.net.httpserver.HttpServer server =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/sessions",
        exchange ->
            answer(
                exchange,
                200,
                "application/json",
                "{\"items\":[{\"id\":\""
                    + escapeJson(hostile)
                    + "\",\"state\":\"ACTIVE\",\"leaseExpiresAt\":\"x\",\"target\":{\"iqn\":\""
                    + escapeJson(hostile)
                    + "\"}}]}"));
    server.createContext(
        "/api/v1/discovery",
        exchange ->
            answer(
                exchange,
                403,
                "application/problem+json",
                "{\"type\":\"about:blank\",\"status\":403,\"detail\":\""
                    + escapeJson(hostile)
                    + "\"}"));
    server.start();
    try {
      new Credentials("http://127.0.0.1:" + server.getAddress().getPort(), "alice", "t", null)
          .save(dir);
      Result sessions = run("--config-dir", dir.toString(), "sessions");
      Result refused = run("--config-dir", dir.toString(), "images");

      assertThat(sessions.code).isZero();
      assertThat(sessions.out.lines()).as("a header and one session").hasSize(2);
      assertThat(refused.err.lines()).as("one plain line").hasSize(1);
      for (String printed : java.util.List.of(sessions.out, refused.err)) {
        assertThat(printed)
            .doesNotContain("\u001b")
            .doesNotContain("\u0007")
            .doesNotContain("\u202E")
            .doesNotContain("\u2066")
            .doesNotContain("\u200B")
            .contains("\\u001b]0;owned\\u0007\\u000asession 1 ENDED\\u202e\\u2066\\u200b");
      }
    } finally {
      server.stop(0);
    }
  }

  private static void answer(
      com.sun.net.httpserver.HttpExchange exchange, int status, String type, String json)
      throws java.io.IOException {
    byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private static String escapeJson(String text) {
    StringBuilder json = new StringBuilder();
    text.chars()
        .forEach(
            c ->
                json.append(
                    c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
    return json.toString();
  }

  @Test
  void explainsTheStatusesAPersonMeets() {
    assertThat(ApiClient.explain(401, "")).contains("login");
    assertThat(ApiClient.explain(403, "your role does not allow this")).contains("may not");
    assertThat(ApiClient.explain(410, "")).startsWith("the session is over");
    assertThat(ApiClient.explain(429, "you have 4 active sessions")).contains("4 active sessions");
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Companion.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private record Result(int code, String out, String err) {}
}
