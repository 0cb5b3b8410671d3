package io.discs.targets;

import io.discs.platform.error.DomainErrors;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Work that must answer within a deadline, and whose late result is undone rather than kept: the
 * caller has already been told it failed, so a target made after that would be served to nobody.
 */
final class WithinDeadline {
  private WithinDeadline() {}

  /**
   * The work's result, or a 503 saying {@code what} took longer than {@code limit}; {@code
   * undoLate} receives a result that arrives after that answer (and {@code onExpiry} runs once at
   * the deadline, to drop what must not outlive the answer).
   */
  static <T> Future<T> of(
      Vertx vertx,
      Duration limit,
      String what,
      Future<T> work,
      Runnable onExpiry,
      Consumer<T> undoLate) {
    Promise<T> answer = Promise.promise();
    long timer =
        vertx.setTimer(
            Math.max(1, limit.toMillis()),
            id -> {
              if (!answer.future().isComplete()) {
                onExpiry.run();
                answer.tryFail(
                    DomainErrors.unavailable(
                        what
                            + " took longer than "
                            + limit.toSeconds()
                            + " s; nothing of it is kept"));
              }
            });
    work.onComplete(
        done -> {
          vertx.cancelTimer(timer);
          boolean inTime =
              done.succeeded() ? answer.tryComplete(done.result()) : answer.tryFail(done.cause());
          if (!inTime && done.succeeded()) {
            undoLate.accept(done.result());
          }
        });
    return answer.future();
  }
}
