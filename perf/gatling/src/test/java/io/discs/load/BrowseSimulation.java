package io.discs.load;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;

/**
 * (3) Browse: discovery (what the companion asks first) at {@code load.discoveryRate} (1,000) a
 * second and the image list at {@code load.listRate} (200) a second, together, for {@code
 * load.seconds} (60), with a user's token, over 20 images. Each rate comes from clients that send
 * one request every 50 ms on a connection of their own (a paced, closed model): a new virtual user
 * and connection per request costs Gatling more than it costs discs on a 2-core machine.
 */
public class BrowseSimulation extends Simulation {
  private static final Duration PACE = Duration.ofMillis(50);
  private final int discoveryRate = Load.intProperty("load.discoveryRate", 1_000);
  private final int listRate = Load.intProperty("load.listRate", 200);
  private final Duration length = Load.seconds("load.seconds", 60);

  {
    DiscsSetup setup = new DiscsSetup();
    String bearer = "Bearer " + setup.usersWithTokens("browse", 1, "user").get(0);
    for (int i = 0; i < 20; i++) {
      setup.uploadImage("browse-" + i + ".iso");
    }
    setUp(
            paced("discovery", "/discovery", bearer, discoveryRate),
            paced("list images", "/images", bearer, listRate))
        .protocols(Load.protocol())
        .maxDuration(length)
        .assertions(
            global().failedRequests().count().is(0L),
            details("discovery").responseTime().percentile(99.0).lt(20));
  }

  private PopulationBuilder paced(String name, String path, String bearer, int rate) {
    int clients = Math.max(1, (int) (rate * PACE.toMillis() / 1000));
    return scenario(name)
        .forever()
        .on(
            exec(http(name).get(path).header("Authorization", bearer).check(status().is(200)))
                .pace(PACE))
        .injectOpen(atOnceUsers(clients));
  }
}
