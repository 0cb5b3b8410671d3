package io.discs.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.testing.MovableClock;
import io.discs.testing.TestCluster;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

  @Test
  void slowsDownThenLocksAUserNameAndForgivesAfterTheLock() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      MovableClock clock = new MovableClock();
      LoginThrottle throttle = new LoginThrottle(vertx, 3, 1, clock);

      assertThat(throttle.failed("alice", "192.0.2.1").await(5, TimeUnit.SECONDS).delay()).isZero();
      assertThat(throttle.failed("alice", "192.0.2.1").await(5, TimeUnit.SECONDS).delay())
          .isPositive();
      assertThat(throttle.lockedFor("alice", "192.0.2.9").await(5, TimeUnit.SECONDS)).isEmpty();
      LoginThrottle.Failure third =
          throttle.failed("alice", "192.0.2.1").await(5, TimeUnit.SECONDS);
      assertThat(third.lockedNow()).isTrue();
      assertThat(third.failures()).isEqualTo(3);

      assertThat(throttle.lockedFor("alice", "192.0.2.9").await(5, TimeUnit.SECONDS)).isPresent();
      assertThat(throttle.lockedFor("bob", "192.0.2.9").await(5, TimeUnit.SECONDS)).isEmpty();
      clock.advance(Duration.ofMillis(1_200));
      assertThat(throttle.lockedFor("alice", "192.0.2.9").await(5, TimeUnit.SECONDS)).isEmpty();
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void locksAnAddressThatGuessesManyNames() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      LoginThrottle throttle = new LoginThrottle(vertx, 2, 60, Clock.systemUTC());
      for (int i = 0; i < 8; i++) {
        throttle.failed("user" + i, "198.51.100.7").await(5, TimeUnit.SECONDS);
      }

      assertThat(throttle.lockedFor("someone-new", "198.51.100.7").await(5, TimeUnit.SECONDS))
          .isPresent();
      assertThat(throttle.lockedFor("someone-new", "198.51.100.8").await(5, TimeUnit.SECONDS))
          .isEmpty();
    } finally {
      vertx.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void twoClusteredGatewaysCountTogether() throws Exception {
    try (TestCluster cluster = TestCluster.start(2)) {
      LoginThrottle throttleA = new LoginThrottle(cluster.node(0), 4, 60, Clock.systemUTC());
      LoginThrottle throttleB = new LoginThrottle(cluster.node(1), 4, 60, Clock.systemUTC());
      throttleA.failed("carol", "192.0.2.1").await(10, TimeUnit.SECONDS);
      throttleB.failed("carol", "192.0.2.2").await(10, TimeUnit.SECONDS);
      throttleA.failed("carol", "192.0.2.3").await(10, TimeUnit.SECONDS);
      assertThat(throttleB.lockedFor("carol", "192.0.2.4").await(10, TimeUnit.SECONDS)).isEmpty();

      Duration delay = throttleB.failed("carol", "192.0.2.4").await(10, TimeUnit.SECONDS).delay();

      assertThat(delay).isPositive();
      assertThat(throttleA.lockedFor("carol", "192.0.2.5").await(10, TimeUnit.SECONDS)).isPresent();
    }
  }
}
