package io.discs.platform.error;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/** What a failed call on the event bus says about the other side. */
public final class BusFailures {
  private BusFailures() {}

  /**
   * Nobody took the call, or nobody answered in time: the service (or the node) is not there, as
   * opposed to having said no.
   */
  public static boolean unreachable(Throwable failure) {
    return failure instanceof ReplyException e
        && (e.failureType() == ReplyFailure.NO_HANDLERS || e.failureType() == ReplyFailure.TIMEOUT);
  }
}
