package io.discs.platform.targets;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.platform.targets.TargetNodes.Standing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TargetNodesTest {
  private final MovableClock clock = new MovableClock();
  private final TargetNodes nodes = new TargetNodes(Duration.ofSeconds(30), clock);

  @Test
  void aNodeNotHeardOfYetServesForOneLeaseFromTheStart() {
    assertThat(nodes.standing("10.0.0.3:3260", "a")).isEqualTo(Standing.SERVING);
    clock.advance(Duration.ofSeconds(31));
    assertThat(nodes.standing("10.0.0.3:3260", "a")).isEqualTo(Standing.GONE);
  }

  @Test
  void aNodeSilentForALeaseIsGoneAndOneThatStartedAgainRestarted() {
    nodes.heard(new NodePresence("10.0.0.3:3260", "a", "10.0.0.3:3260", 0));
    clock.advance(Duration.ofSeconds(20));
    assertThat(nodes.standing("10.0.0.3:3260", "a")).isEqualTo(Standing.SERVING);
    clock.advance(Duration.ofSeconds(20));
    assertThat(nodes.standing("10.0.0.3:3260", "a")).isEqualTo(Standing.GONE);
    assertThat(nodes.live()).isEmpty();

    nodes.heard(new NodePresence("10.0.0.3:3260", "b", "10.0.0.3:3260", 0));
    assertThat(nodes.standing("10.0.0.3:3260", "a")).isEqualTo(Standing.RESTARTED);
    assertThat(nodes.standing("10.0.0.3:3260", "b")).isEqualTo(Standing.SERVING);
  }

  @Test
  void placementPrefersTheFewestTargetsCountingItsOwnPlacements() {
    nodes.heard(new NodePresence("a:3260", "1", "a:3260", 2));
    nodes.heard(new NodePresence("b:3260", "1", "b:3260", 0));
    assertThat(nodes.place().orElseThrow().node()).isEqualTo("b:3260");
    assertThat(nodes.place().orElseThrow().node()).isEqualTo("b:3260");
    // b now has 2 counting what was placed on it; ties go by name.
    assertThat(nodes.place().orElseThrow().node()).isEqualTo("a:3260");
    // Once its placements are older than a target takes to make, a node's own count replaces them.
    clock.advance(TargetNodes.PLACEMENT_COUNTS_FOR.plusSeconds(1));
    nodes.heard(new NodePresence("b:3260", "1", "b:3260", 2));
    assertThat(nodes.place().orElseThrow().node()).isEqualTo("b:3260");
  }

  @Test
  void aCountTakenBeforeAPlacementsTargetExistedDoesNotEraseIt() {
    nodes.heard(new NodePresence("a:3260", "1", "a:3260", 0));
    nodes.heard(new NodePresence("b:3260", "1", "b:3260", 0));
    assertThat(nodes.place("a:3260").orElseThrow().node()).isEqualTo("a:3260");
    // a's presence, sent while its target was still being made, still says 0.
    clock.advance(Duration.ofMillis(50));
    nodes.heard(new NodePresence("a:3260", "1", "a:3260", 0));
    assertThat(nodes.place().orElseThrow().node()).isEqualTo("b:3260");
  }

  @Test
  void aPinnedPlacementCountsToo() {
    nodes.heard(new NodePresence("a:3260", "1", "a:3260", 0));
    nodes.heard(new NodePresence("b:3260", "1", "b:3260", 0));
    assertThat(nodes.place("a:3260").orElseThrow().node()).isEqualTo("a:3260");
    assertThat(nodes.place().orElseThrow().node()).isEqualTo("b:3260");
    assertThat(nodes.place("c:3260")).as("not live").isEmpty();
  }

  @Test
  void nothingIsPlacedWhenNoNodeIsLive() {
    assertThat(nodes.place()).isEmpty();
    nodes.heard(new NodePresence("a:3260", "1", "a:3260", 0));
    clock.advance(Duration.ofMinutes(1));
    assertThat(nodes.place()).isEmpty();
  }

  @Test
  void presenceCrossesTheBusAsJsonAndStrangersAreIgnored() {
    NodePresence presence = new NodePresence("a:3260", "1", "a:3260", 7);
    assertThat(NodePresence.fromJson(presence.toJson())).isEqualTo(presence);
    assertThat(NodePresence.fromJson(new io.vertx.core.json.JsonObject().put("node", 3))).isNull();
  }

  private static final class MovableClock extends Clock {
    private Instant now = Instant.parse("2026-11-26T20:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
