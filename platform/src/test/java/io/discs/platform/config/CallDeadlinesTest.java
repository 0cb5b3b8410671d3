package io.discs.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallDeadlinesTest {

  @Test
  void everyCallerWaitsLongerThanTheCallBeneathIt() {
    for (int seconds : new int[] {1, 2, 60, 3_600}) {
      CallDeadlines deadlines = CallDeadlines.of(seconds);
      assertThat(deadlines.request()).isGreaterThan(deadlines.gatewayToServices());
      assertThat(deadlines.gatewayToServices()).isGreaterThan(deadlines.sessionToTargets());
      assertThat(deadlines.sessionToTargets()).isGreaterThan(deadlines.targetCreation());
      assertThat(deadlines.targetCreation()).isPositive();
    }
  }

  @Test
  void theDefaultsLeaveATargetNodeFortyTwoSeconds() {
    CallDeadlines deadlines = CallDeadlines.of(60);
    assertThat(deadlines.gatewayToServices()).isEqualTo(Duration.ofSeconds(54));
    assertThat(deadlines.sessionToTargets()).isEqualTo(Duration.ofSeconds(48));
    assertThat(deadlines.targetCreation()).isEqualTo(Duration.ofSeconds(42));
  }
}
