package io.discs.targets;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TargetsInFlightTest {
  private final TargetsInFlight inFlight = new TargetsInFlight();

  @Test
  void aWatchSeesWhatWasInFlightAtItsStartAndWhatStartedDuringIt() {
    Promise<Void> slow = Promise.promise();
    inFlight.during("iqn.2026-01.io.discs:a.1", slow::future);

    Set<String> pass = inFlight.watch();
    inFlight.during("iqn.2026-01.io.discs:b.2", Future::<Void>succeededFuture);
    slow.complete();

    // Both finished before the pass decides, and both are still left alone by it.
    assertThat(pass)
        .containsExactlyInAnyOrder("iqn.2026-01.io.discs:a.1", "iqn.2026-01.io.discs:b.2");
    inFlight.end(pass);
    assertThat(inFlight.watch()).isEmpty();
  }

  @Test
  void aTargetLeavesTheFlightWhenItsWorkFailsOrThrows() {
    inFlight.during("iqn.2026-01.io.discs:c.3", () -> Future.failedFuture("refused"));
    inFlight.during(
        "iqn.2026-01.io.discs:d.4",
        () -> {
          throw new IllegalStateException("thrown");
        });

    assertThat(inFlight.watch()).isEmpty();
  }
}
