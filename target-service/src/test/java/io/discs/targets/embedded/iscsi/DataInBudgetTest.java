package io.discs.targets.embedded.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DataInBudgetTest {
  @Test
  void takesWhatFitsAndWakesThoseWhoFoundNoRoomOnceBytesComeBack() {
    DataInBudget budget = new DataInBudget(10);
    AtomicInteger woken = new AtomicInteger();
    Runnable wake = woken::incrementAndGet;

    assertThat(budget.take(6, wake)).isTrue();
    assertThat(budget.take(5, wake)).as("6 + 5 > 10").isFalse();
    assertThat(budget.take(5, wake)).as("asking twice leaves one wake-up").isFalse();
    assertThat(budget.taken()).isEqualTo(6);

    budget.give(6);
    assertThat(woken).hasValue(1);
    assertThat(budget.take(5, wake)).isTrue();
    budget.give(5);
    assertThat(woken).as("nobody was waiting any more").hasValue(1);
  }

  @Test
  void aConnectionThatEndedIsNotWoken() {
    DataInBudget budget = new DataInBudget(4);
    AtomicInteger woken = new AtomicInteger();
    Runnable wake = woken::incrementAndGet;
    budget.take(4, () -> {});
    budget.take(1, wake);
    budget.forget(wake);
    budget.give(4);
    assertThat(woken).hasValue(0);
  }

  @Test
  void isAnEighthOfTheHeapWithinBoundsAndAConnectionASixteenthOfThat() {
    assertThat(DataInBudget.forHeap(512L << 20).capacity()).isEqualTo(64L << 20);
    assertThat(DataInBudget.forHeap(512L << 20).perConnection()).isEqualTo(4L << 20);
    assertThat(DataInBudget.forHeap(64L << 20).capacity()).isEqualTo(32L << 20);
    assertThat(DataInBudget.forHeap(64L << 30).capacity()).isEqualTo(1L << 30);
    assertThat(DataInBudget.forHeap(64L << 30).perConnection()).isEqualTo(16L << 20);
  }
}
