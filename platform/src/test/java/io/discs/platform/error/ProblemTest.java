package io.discs.platform.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;

class ProblemTest {

  @Test
  void keepsTheStatusAndMessageOfADomainError() {
    Problem problem = Problem.from(DomainErrors.conflict("image 42 is used by a target"));

    assertThat(problem.toJson().getMap())
        .containsEntry("status", 409)
        .containsEntry("title", "Conflict")
        .containsEntry("detail", "image 42 is used by a target")
        .containsEntry("type", "about:blank");
  }

  @Test
  void hidesEverythingAboutAnUnexpectedFailure() {
    Problem problem =
        Problem.from(new NullPointerException("Cannot invoke \"io.discs.secret.Internal.x()\""));

    assertThat(problem.status()).isEqualTo(500);
    assertThat(problem.detail()).doesNotContain("io.discs").doesNotContain("NullPointer");
  }

  @Test
  void reportsAServiceThatDidNotAnswerAsUnavailable() {
    assertThat(Problem.from(new ReplyException(ReplyFailure.TIMEOUT, "timed out")).status())
        .isEqualTo(503);
    assertThat(Problem.from(new ReplyException(ReplyFailure.NO_HANDLERS, "none")).status())
        .isEqualTo(503);
  }
}
