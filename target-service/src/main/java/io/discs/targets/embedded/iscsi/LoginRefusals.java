package io.discs.targets.embedded.iscsi;

import io.discs.platform.text.UnsafeCharacters;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Logs refused logins at WARN, at most one line a second for the whole target: a CHAP guesser or a
 * port scanner must not fill the log, and the count of what was left out is said with the next
 * line. The initiator's name is the initiator's to choose: it is escaped, so that it cannot forge a
 * line of the log.
 */
final class LoginRefusals {
  private static final long INTERVAL_NANOS = 1_000_000_000L;

  private final Logger log;
  private final AtomicLong lastLogged = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);
  private final AtomicLong suppressed = new AtomicLong();

  /** One per target (embedded backend), shared by its connections. */
  LoginRefusals(Logger log) {
    this.log = log;
  }

  void log(String address, String initiator, String reason) {
    long now = System.nanoTime();
    long last = lastLogged.get();
    if (now - last < INTERVAL_NANOS || !lastLogged.compareAndSet(last, now)) {
      suppressed.incrementAndGet();
      return;
    }
    long left = suppressed.getAndSet(0);
    log.warn(
        "iSCSI login refused: initiator {} from {}: {}{}",
        initiator == null ? "(unnamed)" : UnsafeCharacters.escaped(initiator),
        address,
        reason,
        left == 0 ? "" : " (" + left + " more refusals not logged in the last second)");
  }
}
