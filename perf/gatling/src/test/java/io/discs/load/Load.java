package io.discs.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** What every scenario shares: the protocol, the knobs (system properties) and the feeders. */
final class Load {
  private Load() {}

  /**
   * Each virtual user is one client with a connection of its own, as each companion is: a pool
   * shared by all of them would queue requests behind a few sockets in Gatling, not in discs.
   */
  static HttpProtocolBuilder protocol() {
    return http.baseUrl(DiscsSetup.API)
        .acceptHeader("application/json")
        .contentTypeHeader("application/json");
  }

  static int intProperty(String name, int otherwise) {
    return Integer.getInteger(name, otherwise);
  }

  static Duration seconds(String name, int otherwise) {
    return Duration.ofSeconds(intProperty(name, otherwise));
  }

  /**
   * An endless feeder: each virtual user gets a number, an initiator name of its own, and a token
   * of one of {@code tokens}, round robin.
   */
  static Iterator<Map<String, Object>> mounts(String kind, List<String> tokens, String imageId) {
    AtomicInteger next = new AtomicInteger();
    return Stream.generate(
            () -> {
              int n = next.getAndIncrement();
              return Map.<String, Object>of(
                  "n", n,
                  "token", tokens.get(n % tokens.size()),
                  "imageId", imageId,
                  "initiator", "iqn.2026-01.io.discs.load:" + kind + "-" + n);
            })
        .iterator();
  }

  /** A mount as the companion starts it; the session's id is kept as {@code session}. */
  static HttpRequestActionBuilder startSession() {
    return http("start session")
        .post("/sessions")
        .header("Authorization", "Bearer #{token}")
        .body(StringBody("{\"imageId\":\"#{imageId}\",\"initiatorIqn\":\"#{initiator}\"}"))
        .check(status().is(201), jsonPath("$.id").saveAs("session"));
  }

  /** A heartbeat; one that finds its session expired (404) fails. */
  static HttpRequestActionBuilder heartbeat() {
    return heartbeat("heartbeat");
  }

  static HttpRequestActionBuilder heartbeat(String name) {
    return http(name)
        .post("/sessions/#{session}/heartbeat")
        .header("Authorization", "Bearer #{token}")
        .check(status().is(200));
  }

  static HttpRequestActionBuilder endSession() {
    return http("end session")
        .delete("/sessions/#{session}")
        .header("Authorization", "Bearer #{token}")
        .check(status().is(204));
  }
}
