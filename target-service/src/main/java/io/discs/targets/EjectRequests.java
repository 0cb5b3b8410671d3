package io.discs.targets;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drives whose initiator was asked to let go of a disc it locks in (an eject refused, an
 * EjectRequest queued), awaiting the initiator's own eject. A Linux machine locks every CD it sees
 * (udev's {@code cdrom_id --lock-media}) and answers an EjectRequest by ejecting it (its {@code
 * --eject-media} rule), as it does for a real drive's eject button; so an eject asked of discs
 * waits a moment for that answer before it is refused, as an operator pressing the button would.
 */
final class EjectRequests {
  private final Vertx vertx;
  private final Duration patience;
  private final Map<String, Promise<Boolean>> waiting = new ConcurrentHashMap<>();

  EjectRequests(Vertx vertx, Duration patience) {
    this.vertx = vertx;
    this.patience = patience;
  }

  /**
   * True once the drive {@code iqn} is emptied by its initiator, false if it is not within the
   * patience; {@code stillIn} is asked once waiting starts, for an eject that came before it did.
   */
  Future<Boolean> awaitLetGo(String iqn, java.util.function.BooleanSupplier stillIn) {
    Promise<Boolean> letGo = Promise.promise();
    Promise<Boolean> earlier = waiting.put(iqn, letGo);
    if (earlier != null) {
      earlier.tryComplete(false);
    }
    if (!stillIn.getAsBoolean()) {
      letGo.tryComplete(true);
    }
    long timer = vertx.setTimer(Math.max(1, patience.toMillis()), t -> letGo.tryComplete(false));
    return letGo
        .future()
        .andThen(
            done -> {
              vertx.cancelTimer(timer);
              waiting.remove(iqn, letGo);
            });
  }

  /** The drive {@code iqn} became empty: whoever waited for it hears so. */
  void emptied(String iqn) {
    Promise<Boolean> letGo = waiting.remove(iqn);
    if (letGo != null) {
      letGo.tryComplete(true);
    }
  }
}
