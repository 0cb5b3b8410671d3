package io.discs.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * (5) Logins: {@code load.rate} (8) correct logins a second for {@code load.seconds} (60), over
 * 20 users, below what two cores can hash, so that latency is not queueing. Each checks a PBKDF2
 * hash; perf/load.sh divides the logins by the CPU seconds the
 * server spent to give logins per core-second.
 */
public class LoginSimulation extends Simulation {
  private final int rate = Load.intProperty("load.rate", 8);
  private final Duration length = Load.seconds("load.seconds", 60);

  {
    new DiscsSetup().usersWithTokens("login", 20, "user");
    AtomicInteger next = new AtomicInteger();
    Iterator<Map<String, Object>> users =
        Stream.generate(
                () -> {
                  int n = next.getAndIncrement() % 20;
                  return Map.<String, Object>of(
                      "user", "login-" + n, "password", "load-password-" + n);
                })
            .iterator();
    setUp(
            scenario("login")
                .feed(users)
                .exec(
                    http("login")
                        .post("/auth/token")
                        .body(
                            StringBody(
                                "{\"username\":\"#{user}\",\"password\":\"#{password}\"}"))
                        .check(status().is(200)))
                .injectOpen(constantUsersPerSec(rate).during(length)))
        .protocols(Load.protocol())
        .assertions(global().failedRequests().count().is(0L));
  }
}
