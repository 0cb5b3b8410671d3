package io.discs.companion;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The heartbeat loop against a small HTTP server that misbehaves on cue, as a real one can. */
class HeartbeatsTest {
  private static final String ID = "7bf34bb6-5abf-49f7-a899-a2de6ecd1e89";
  private HttpServer server;
  private final AtomicInteger beats = new AtomicInteger();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void retriesBeatsThatFailAndCarriesOnWhenTheServerAnswersAgain() throws Exception {
    serve(beat -> beat <= 2 ? 503 : 200, "ACTIVE");

    int code = heartbeats(3).run(new CountDownLatch(1));

    assertThat(code).isZero();
    assertThat(beats.get()).isEqualTo(5);
    assertThat(err.toString())
        .contains("heartbeat failed (the server answered 503")
        .contains("retrying in 1 s")
        .contains("retrying in 1 s"); // the interval (1 s) caps the back-off
  }

  @Test
  void exitsWithSessionLostWhenTheLeaseLapsed() throws Exception {
    serve(beat -> 410, "EXPIRED");

    assertThat(heartbeats(null).run(new CountDownLatch(1))).isEqualTo(MountCommand.SESSION_LOST);
    assertThat(err.toString())
        .contains("session " + ID + " was lost (its lease lapsed before a heartbeat got through)");
  }

  @Test
  void saysTheServerRemovedTheTargetWhenTheSessionFailed() throws Exception {
    serve(beat -> 410, "FAILED");

    assertThat(heartbeats(null).run(new CountDownLatch(1))).isEqualTo(MountCommand.SESSION_LOST);
    assertThat(err.toString()).contains("the server removed its target");
  }

  @Test
  void detachesQuietlyWhenTheSessionWasEndedElsewhere() throws Exception {
    serve(beat -> 410, "ENDED");

    assertThat(heartbeats(null).run(new CountDownLatch(1))).isZero();
    assertThat(out.toString()).contains("session " + ID + " was ended elsewhere; detaching");
  }

  private interface Answers {
    int status(int beat);
  }

  private void serve(Answers answers, String state) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/sessions/" + ID + "/heartbeat",
        exchange -> {
          int status = answers.status(beats.incrementAndGet());
          respond(
              exchange,
              status,
              status == 200
                  ? "{\"id\":\"" + ID + "\",\"state\":\"ACTIVE\"}"
                  : "{\"status\":" + status + ",\"detail\":\"on cue\"}");
        });
    server.createContext(
        "/api/v1/sessions",
        exchange ->
            respond(
                exchange,
                200,
                "{\"items\":[{\"id\":\"" + ID + "\",\"state\":\"" + state + "\"}]}"));
    server.start();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private Heartbeats heartbeats(Integer maxBeats) {
    ApiClient api =
        new ApiClient("http://127.0.0.1:" + server.getAddress().getPort(), "token", null);
    MountedSession session =
        new MountedSession(
            ID,
            "192.0.2.10:3260",
            "iqn.2026-01.io.discs:x.y",
            0,
            new Iscsiadm.Credentials("u", "s", null),
            1,
            "2026-11-26T00:00:00Z");
    return new Heartbeats(
        api, session, maxBeats, new PrintWriter(out, true), new PrintWriter(err, true));
  }
}
