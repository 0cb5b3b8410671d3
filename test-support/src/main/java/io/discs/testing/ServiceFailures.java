package io.discs.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.serviceproxy.ServiceException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on the failures services answer with: their status, as a client would see it. */
public final class ServiceFailures {
  private ServiceFailures() {}

  /** {@code call} fails with a {@link ServiceException} of {@code status}. */
  public static void assertFailsWith(ThrowingCallable call, int status) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ServiceException.class,
            e ->
                org.assertj.core.api.Assertions.assertThat(e.failureCode())
                    .as(e.getMessage())
                    .isEqualTo(status));
  }
}
