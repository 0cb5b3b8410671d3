package io.discs.targets;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.serviceproxy.ServiceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class WithinDeadlineTest {
  private final AtomicInteger expired = new AtomicInteger();
  private final List<String> undone = new ArrayList<>();

  @Test
  void workInTimeIsAnsweredAndKept(Vertx vertx) throws Exception {
    Future<String> answer =
        WithinDeadline.of(
            vertx,
            Duration.ofSeconds(5),
            "making t",
            Future.succeededFuture("t"),
            expired::incrementAndGet,
            undone::add);

    assertThat(answer.await(5, TimeUnit.SECONDS)).isEqualTo("t");
    assertThat(expired).hasValue(0);
    assertThat(undone).isEmpty();
  }

  @Test
  void lateWorkIsAnswered503AtTheDeadlineAndUndoneWhenItFinishes(Vertx vertx) throws Exception {
    Promise<String> slow = Promise.promise();
    Future<String> answer =
        WithinDeadline.of(
            vertx,
            Duration.ofMillis(50),
            "making t",
            slow.future(),
            expired::incrementAndGet,
            undone::add);

    Throwable failure =
        answer.transform(Future::succeededFuture).await(5, TimeUnit.SECONDS).cause();
    assertThat(failure).isInstanceOf(ServiceException.class).hasMessageContaining("making t took");
    assertThat(((ServiceException) failure).failureCode()).isEqualTo(503);
    assertThat(expired).hasValue(1);
    vertx.runOnContext(v -> slow.complete("t"));
    vertx.timer(50).await(5, TimeUnit.SECONDS);
    assertThat(undone).containsExactly("t");
  }

  @Test
  void aFailureInTimeIsPassedOnAndNothingIsUndone(Vertx vertx) throws Exception {
    Future<String> answer =
        WithinDeadline.of(
            vertx,
            Duration.ofSeconds(5),
            "making t",
            Future.failedFuture(new IllegalStateException("refused")),
            expired::incrementAndGet,
            undone::add);

    assertThat(answer.transform(Future::succeededFuture).await(5, TimeUnit.SECONDS).cause())
        .hasMessage("refused");
    assertThat(expired).hasValue(0);
    assertThat(undone).isEmpty();
  }
}
