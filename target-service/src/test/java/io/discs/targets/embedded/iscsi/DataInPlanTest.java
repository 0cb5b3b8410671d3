package io.discs.targets.embedded.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.targets.embedded.iscsi.DataInPlan.Segment;
import org.junit.jupiter.api.Test;

/** Data-In segmentation: segment size, bursts, DataSN, offsets, and where the status goes. */
class DataInPlanTest {
  private static final int F = DataInPlan.FINAL;
  private static final int S = DataInPlan.STATUS;

  @Test
  void aReadThatFitsIsOnePduWithTheStatus() {
    assertThat(DataInPlan.plan(4096, 4096, 262_144, 262_144))
        .containsExactly(new Segment(F | S, 0, 0, 4096));
  }

  @Test
  void cutsAtTheInitiatorsMaxRecvDataSegmentLength() {
    assertThat(DataInPlan.plan(20_000, 20_000, 8192, 262_144))
        .containsExactly(
            new Segment(0, 0, 0, 8192),
            new Segment(0, 1, 8192, 8192),
            new Segment(F | S, 2, 16_384, 3616));
  }

  @Test
  void endsEveryBurstWithTheFinalBit() {
    // MaxBurstLength 12 KiB, segments of at most 8 KiB: 8 + 4 (burst ends), 8 + 4, 8 (last).
    assertThat(DataInPlan.plan(32_768, 32_768, 8192, 12_288))
        .containsExactly(
            new Segment(0, 0, 0, 8192),
            new Segment(F, 1, 8192, 4096),
            new Segment(0, 2, 12_288, 8192),
            new Segment(F, 3, 20_480, 4096),
            new Segment(F | S, 4, 24_576, 8192));
  }

  @Test
  void sendsOnlyWhatIsExpectedAndSaysWhatIsLeftOver() {
    assertThat(DataInPlan.plan(4096, 1000, 262_144, 262_144))
        .containsExactly(new Segment(F | S | DataInPlan.OVERFLOW, 0, 0, 1000));
    assertThat(DataInPlan.residual(4096, 1000)).isEqualTo(3096);
    assertThat(DataInPlan.plan(512, 4096, 262_144, 262_144))
        .containsExactly(new Segment(F | S | DataInPlan.UNDERFLOW, 0, 0, 512));
    assertThat(DataInPlan.residual(512, 4096)).isEqualTo(3584);
  }

  @Test
  void nothingExpectedMeansNoDataInButAStatusWithTheResidual() {
    assertThat(DataInPlan.plan(36, 0, 262_144, 262_144)).isEmpty();
    assertThat(DataInPlan.residualFlags(36, 0)).isEqualTo(DataInPlan.OVERFLOW);
  }
}
