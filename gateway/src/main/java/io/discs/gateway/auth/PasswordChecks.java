package io.discs.gateway.auth;

import io.discs.platform.error.DomainErrors;
import io.discs.platform.error.HttpStatus;
import io.discs.platform.events.DomainEvent;
import io.discs.platform.events.DomainEvent.Outcome;
import io.discs.platform.events.EventPublisher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Every password check (a login, a password change's current password): one per name at a time
 * cluster-wide, throttled per name and address ({@link LoginThrottle}), bounded per gateway, the
 * hashing on its own workers, and the failures and locks audited. Also hashes new passwords.
 */
final class PasswordChecks {
  /** Password checks (logins, password changes) queued or running on this gateway at most. */
  static final int MAX_PENDING_CHECKS = 32;

  private static final String LOCK_PREFIX = "discs.login.";
  private static final long LOCK_WAIT_MS = 20_000;
  private static final Duration BUSY_RETRY = Duration.ofSeconds(2);
  private static final Duration QUEUED_RETRY = Duration.ofSeconds(5);

  /** Why a password is checked: what a wrong one answers, and how it is audited. */
  enum Purpose {
    LOGIN(HttpStatus.UNAUTHORIZED, "user name or password is wrong", "auth.login.failed"),
    CURRENT_PASSWORD(
        HttpStatus.FORBIDDEN, "the current password is wrong", "auth.password.check.failed");

    private final int wrongStatus;
    private final String wrongDetail;
    private final String failureEvent;

    Purpose(int wrongStatus, String wrongDetail, String failureEvent) {
      this.wrongStatus = wrongStatus;
      this.wrongDetail = wrongDetail;
      this.failureEvent = failureEvent;
    }

    ServiceException wrong() {
      return new ServiceException(wrongStatus, wrongDetail);
    }
  }

  private final Vertx vertx;
  private final UserStore users;
  private final LoginThrottle throttle;
  private final EventPublisher events;
  private final PasswordHasher hasher;
  private final WorkerExecutor hashing;
  private final AtomicInteger pending = new AtomicInteger();

  PasswordChecks(
      Vertx vertx,
      UserStore users,
      LoginThrottle throttle,
      EventPublisher events,
      PasswordHasher hasher,
      WorkerExecutor hashing) {
    this.vertx = vertx;
    this.users = users;
    this.throttle = throttle;
    this.events = events;
    this.hasher = hasher;
    this.hashing = hashing;
  }

  /**
   * The user when the password is theirs; else a count against the name and the address, and the
   * purpose's refusal (429 with a Retry-After while locked out), held back by the throttle's delay
   * outside the name's lock.
   */
  Future<UserRecord> verify(String username, String password, String address, Purpose purpose) {
    return underNameLock(username, () -> throttledCheck(username, password, address, purpose));
  }

  /** A new password's hash, on the hashing workers. */
  Future<String> hash(String password) {
    return hashing.executeBlocking(() -> hasher.hash(password), false);
  }

  /**
   * The check of the lock, the password and the count happen together, so concurrent guesses cannot
   * all slip in before the lock.
   */
  private <T> Future<T> underNameLock(String username, Supplier<Future<T>> check) {
    return vertx
        .sharedData()
        .withLock(LOCK_PREFIX + username, LOCK_WAIT_MS, check)
        .recover(
            failure -> {
              if (failure instanceof Refused refused) {
                return delay(refused.delay).compose(v -> Future.failedFuture(refused.answer));
              }
              if (failure instanceof ServiceException) {
                return Future.failedFuture(failure);
              }
              // The lock was not had in time: too many attempts for this name are queued.
              return Future.failedFuture(
                  DomainErrors.tooManyRequests(
                      "too many password checks for this name at once; try again", QUEUED_RETRY));
            });
  }

  private Future<UserRecord> throttledCheck(
      String username, String password, String address, Purpose purpose) {
    return throttle
        .lockedFor(username, address)
        .compose(
            locked -> {
              if (locked.isPresent()) {
                // Counted, not audited each: one attacker could otherwise write rows at will.
                throttle.refusedWhileLocked(username);
                long seconds = Math.max(1, (locked.get().toMillis() + 999) / 1000);
                return Future.failedFuture(
                    DomainErrors.tooManyRequests(
                        "too many failed password checks; try again in " + seconds + " s",
                        locked.get()));
              }
              return checkPassword(username, password)
                  .compose(
                      user -> {
                        if (user != null) {
                          return throttle.succeeded(username).map(user);
                        }
                        audit(purpose.failureEvent, username, address, "bad credentials");
                        return throttle
                            .failed(username, address)
                            .compose(
                                failure -> {
                                  if (failure.lockedNow()) {
                                    auditLock(username, address, failure.failures());
                                  }
                                  return Future.failedFuture(
                                      new Refused(failure.delay(), purpose.wrong()));
                                });
                      });
            });
  }

  /** A failed check, with how long to hold the answer back (outside the per-name lock). */
  private static final class Refused extends RuntimeException {
    private final Duration delay;
    private final ServiceException answer;

    Refused(Duration delay, ServiceException answer) {
      super(answer.getMessage(), null, false, false);
      this.delay = delay;
      this.answer = answer;
    }
  }

  /** The user when the password is theirs, else null; equally slow for unknown names. */
  private Future<UserRecord> checkPassword(String username, String password) {
    // Each check costs about a core for a tenth of a second: beyond a bound, the work queued is
    // refused at once rather than left to grow (one check per name runs at a time already).
    if (pending.incrementAndGet() > MAX_PENDING_CHECKS) {
      pending.decrementAndGet();
      return Future.failedFuture(
          DomainErrors.unavailable(
              "too many password checks at once; try again in a few seconds", BUSY_RETRY));
    }
    return users
        .find(username)
        .compose(
            found ->
                hashing.executeBlocking(
                    () -> {
                      if (found.isEmpty()) {
                        hasher.spendTimeAsIfChecking(password);
                        return null;
                      }
                      return hasher.matches(password, found.get().passwordHash())
                          ? found.get()
                          : null;
                    },
                    false))
        .andThen(done -> pending.decrementAndGet());
  }

  private Future<Void> delay(Duration delay) {
    if (delay.isZero()) {
      return Future.succeededFuture();
    }
    return vertx.timer(delay.toMillis()).mapEmpty();
  }

  /**
   * One audit row per lock: the failures that caused it, and the attempts refused while the
   * previous lock held (counted, not written one by one).
   */
  private void auditLock(String username, String address, long failures) {
    throttle
        .takeRefusedWhileLocked(username)
        .otherwise(0L)
        .onSuccess(
            refused ->
                events.publish(
                    DomainEvent.of(
                        "auth.locked",
                        username,
                        "user/" + username,
                        Outcome.FAILURE,
                        address,
                        new JsonObject()
                            .put("failures", failures)
                            .put("refusedWhileLockedBefore", refused))));
  }

  /** A login's or a check's outcome as an audit row; {@code reason} null for a success. */
  void audit(String type, String username, String address, String reason) {
    events.publish(
        DomainEvent.of(
            type,
            username,
            "user/" + username,
            reason == null ? Outcome.SUCCESS : Outcome.FAILURE,
            address,
            reason == null ? new JsonObject() : new JsonObject().put("reason", reason)));
  }
}
