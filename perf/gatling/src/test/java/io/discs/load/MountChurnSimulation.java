package io.discs.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.List;

/**
 * (2) Mount churn: {@code load.rate} (20) new mounts a second for {@code load.seconds} (120); each
 * starts a session (its target included), heartbeats once a second later, and ends it.
 */
public class MountChurnSimulation extends Simulation {
  private final int rate = Load.intProperty("load.rate", 20);
  private final Duration length = Load.seconds("load.seconds", 120);

  {
    DiscsSetup setup = new DiscsSetup();
    List<String> tokens = setup.usersWithTokens("churn", 20, "user");
    String image = setup.uploadImage("churn.iso");

    ScenarioBuilder churn =
        scenario("mount churn")
            .feed(Load.mounts("churn", tokens, image))
            .exec(Load.startSession())
            .exitHereIfFailed()
            .pause(Duration.ofSeconds(1))
            .exec(Load.heartbeat())
            .exec(Load.endSession());

    setUp(churn.injectOpen(constantUsersPerSec(rate).during(length)))
        .protocols(Load.protocol())
        .assertions(
            global().failedRequests().count().is(0L),
            details("start session").responseTime().percentile(99.0).lt(50));
  }
}
