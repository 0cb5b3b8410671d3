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
