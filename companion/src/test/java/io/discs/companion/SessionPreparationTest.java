package io.discs.companion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Following a session the server answered at once, against a small server that prepares it. */
class SessionPreparationTest {
  private static final String ID = "0c1f9a55-7a8e-4d0e-9a59-3f8e6c1d2b01";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final StringWriter err = new StringWriter();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void showsTheFetchAndAnswersTheActiveSessionWithItsCredentials() throws Exception {
    serve(
        "{\"id\":\""
            + ID
            + "\",\"state\":\"PREPARING\",\"preparing\":{\"fetchedBytes\":"
            + (512L << 20)
            + ",\"totalBytes\":"
            + (1L << 30)
            + "}}",
        "{\"id\":\""
            + ID
            + "\",\"state\":\"ACTIVE\",\"target\":{\"iqn\":\"iqn.x\"},"
            + "\"chap\":{\"username\":\"u\",\"secret\":\"s\"}}");

    JsonNode active = preparation(new CountDownLatch(1)).awaitActive(started());

    assertThat(active.path("chap").path("secret").asText()).isEqualTo("s");
    assertThat(err.toString()).contains("512 of 1024 MiB (50%)");
    assertThat(calls).doesNotContain("DELETE");
  }

  @Test
  void aSessionThatFailsSaysWhyAndIsNotEndedAgain() throws Exception {
    serve("{\"id\":\"" + ID + "\",\"state\":\"FAILED\",\"reason\":\"the bucket went away\"}");

    assertThatThrownBy(() -> preparation(new CountDownLatch(1)).awaitActive(started()))
        .isInstanceOf(CompanionException.class)
        .hasMessage("the session failed while its disc was prepared: the bucket went away");
    assertThat(calls).doesNotContain("DELETE");
  }

  @Test
  void givingUpEndsTheSession() throws Exception {
    serve("{\"id\":\"" + ID + "\",\"state\":\"PREPARING\"}");
    CountDownLatch stop = new CountDownLatch(1);
    stop.countDown();

    assertThatThrownBy(() -> preparation(stop).awaitActive(started()))
        .isInstanceOf(CompanionException.class)
        .hasMessageContaining("the session is ended");
    assertThat(calls).contains("DELETE");
  }

  @Test
  void aSessionAnsweredActiveIsUsedAsItIs() throws Exception {
    serve();
    JsonNode active = JSON.readTree("{\"id\":\"" + ID + "\",\"state\":\"ACTIVE\"}");

    assertThat(preparation(new CountDownLatch(1)).awaitActive(active)).isSameAs(active);
    assertThat(calls).isEmpty();
  }

  private JsonNode started() throws IOException {
    return JSON.readTree(
        "{\"id\":\"" + ID + "\",\"state\":\"PREPARING\",\"heartbeatIntervalSeconds\":30}");
  }

  /** Answers each GET of the session with the next of {@code states} (the last one repeats). */
  private void serve(String... states) throws IOException {
    AtomicInteger asked = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/api/v1/sessions/" + ID,
        exchange -> {
          calls.add(exchange.getRequestMethod());
          if (exchange.getRequestMethod().equals("DELETE")) {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
            return;
          }
          int at = Math.min(asked.getAndIncrement(), states.length - 1);
          respond(exchange, states[at]);
        });
    server.start();
  }

  private static void respond(HttpExchange exchange, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private SessionPreparation preparation(CountDownLatch stop) {
    ApiClient api =
        new ApiClient("http://127.0.0.1:" + server.getAddress().getPort(), "token", null);
    return new SessionPreparation(api, new PrintWriter(err, true), stop);
  }
}
