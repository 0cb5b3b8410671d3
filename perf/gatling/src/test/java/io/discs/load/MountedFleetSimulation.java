package io.discs.load;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.doSwitch;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.onCase;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.List;

/**
 * (1) The mounted fleet: {@code load.sessions} sessions (10,000) start over {@code load.rampSeconds},
 * then each heartbeats every 30 s for {@code load.holdSeconds} (300) and ends. Nobody logs in over
 * iSCSI. A heartbeat that finds its session expired fails (404), so "0 expired while heartbeats
 * arrive" is "no failed heartbeat". Heartbeats sent before all sessions have started, and after the
 * first could have ended, are reported apart ("heartbeat while the fleet mounts", "... unmounts"):
 * the goal is for the mounted fleet. The server needs {@code DISCS_MAX_SESSIONS_PER_USER} at least
 * {@code load.sessionsPerUser} (500).
 */
public class MountedFleetSimulation extends Simulation {
  private final int sessions = Load.intProperty("load.sessions", 10_000);
  private final int perUser = Load.intProperty("load.sessionsPerUser", 500);
  private final Duration ramp = Load.seconds("load.rampSeconds", 100);
  private final Duration hold = Load.seconds("load.holdSeconds", 300);

  {
    DiscsSetup setup = new DiscsSetup();
    List<String> tokens =
        setup.usersWithTokens("fleet", (sessions + perUser - 1) / perUser, "user");
    String image = setup.uploadImage("fleet.iso");

    long start = System.currentTimeMillis();
    long fleetMounted = start + ramp.toMillis() + 5_000;
    // No session ends before its hold is over: from then on the fleet unmounts, up to 100 ends a
    // second with their targets, and heartbeats meanwhile are the mirror of those during the ramp.
    long fleetUnmounting = start + hold.toMillis();
    ScenarioBuilder fleet =
        scenario("mounted fleet")
            .feed(Load.mounts("fleet", tokens, image))
            .exec(Load.startSession())
            .exitHereIfFailed()
            // Heartbeats spread over the interval, as 10,000 people's clocks would be.
            .pause(Duration.ZERO, Duration.ofSeconds(30))
            .during(hold)
            // Heartbeats while sessions are still being started are counted apart: the goal is
            // for a mounted fleet, not for one that shares the machine with 100 starts a second.
            .on(
                doSwitch(session -> phase(fleetMounted, fleetUnmounting))
                    .on(
                        onCase("mounting")
                            .then(exec(Load.heartbeat("heartbeat while the fleet mounts"))),
                        onCase("mounted").then(exec(Load.heartbeat())),
                        onCase("unmounting")
                            .then(exec(Load.heartbeat("heartbeat while the fleet unmounts"))))
                    .pause(Duration.ofSeconds(30)))
            .exec(Load.endSession());

    setUp(fleet.injectOpen(rampUsers(sessions).during(ramp)))
        .protocols(Load.protocol())
        .assertions(
            global().failedRequests().count().is(0L),
            details("heartbeat")
                .responseTime()
                .percentile(99.0)
                .lt(10));
  }

  private static String phase(long fleetMounted, long fleetUnmounting) {
    long now = System.currentTimeMillis();
    return now < fleetMounted ? "mounting" : now < fleetUnmounting ? "mounted" : "unmounting";
  }
}
