package io.discs.gateway.auth;

import io.discs.gateway.Operation;
import io.discs.gateway.Requests;
import io.discs.gateway.api.ResourceRoutes;
import io.discs.platform.Caller;
import io.discs.platform.Role;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.error.HttpStatus;
import io.discs.platform.events.DomainEvent;
import io.discs.platform.events.DomainEvent.Outcome;
import io.discs.platform.events.EventPublisher;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The token endpoint and user management. Password hashing runs on its own small worker pool. */
public final class AuthRoutes implements ResourceRoutes {
  private static final String LOGIN_LOCK_PREFIX = "discs.login.";
  private static final long LOGIN_LOCK_WAIT_MS = 20_000;
  private final Vertx vertx;
  private final TokenRevocations revocations;
  private final UserStore users;
  private final TokenService tokens;
  private final LoginThrottle throttle;
  private final EventPublisher events;
  private final PasswordHasher hasher;
  private final WorkerExecutor hashing;

  public AuthRoutes(
      Vertx vertx,
      UserStore users,
      TokenService tokens,
      TokenRevocations revocations,
      LoginThrottle throttle,
      EventPublisher events,
      PasswordHasher hasher,
      WorkerExecutor hashing) {
    this.vertx = vertx;
    this.users = users;
    this.tokens = tokens;
    this.revocations = revocations;
    this.throttle = throttle;
    this.events = events;
    this.hasher = hasher;
    this.hashing = hashing;
  }

  /** Password checks (logins, password changes) queued or running on this gateway at most. */
  static final int MAX_PENDING_CHECKS = 32;

  private final java.util.concurrent.atomic.AtomicInteger pendingChecks =
      new java.util.concurrent.atomic.AtomicInteger();

  @Override
  public void addTo(Map<Operation, Handler<RoutingContext>> handlers) {
    handlers.put(Operation.ISSUE_TOKEN, ctx -> issueToken(ctx, Requests.jsonBody(ctx)));
    handlers.put(Operation.LOGOUT, this::logout);
    handlers.put(Operation.LIST_USERS, this::listUsers);
    handlers.put(Operation.CREATE_USER, ctx -> createUser(ctx, Requests.jsonBody(ctx)));
    handlers.put(Operation.DELETE_USER, this::deleteUser);
    handlers.put(
        Operation.CHANGE_OWN_PASSWORD, ctx -> changeOwnPassword(ctx, Requests.jsonBody(ctx)));
  }

  public void issueToken(RoutingContext ctx, JsonObject body) {
    String username = stringField(body, "username");
    String password = stringField(body, "password");
    String address = AccessControl.sourceAddress(ctx);
    if (username == null || !Credentials.isPossibleUsername(username)) {
      // No account can have this name: no password check, no count, no audit row per request.
      ctx.fail(new HttpException(HttpStatus.UNAUTHORIZED, "user name or password is wrong"));
      return;
    }
    underNameLock(
            ctx,
            username,
            () ->
                throttledCheck(
                        ctx,
                        username,
                        password,
                        address,
                        "auth.login.failed",
                        HttpStatus.UNAUTHORIZED)
                    .compose(
                        user -> {
                          loginEvent("auth.login.succeeded", username, address, null);
                          return Future.succeededFuture(
                              new JsonObject()
                                  .put("access_token", tokens.issue(user.username(), user.roles()))
                                  .put("token_type", "Bearer")
                                  .put("expires_in", tokens.expiresInSeconds()));
                        }))
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  /**
   * One password check per name at a time, cluster-wide: the check of the lock, the password and
   * the count happen together, so concurrent guesses cannot all slip in before the lock. A refusal
   * is held back by the throttle's delay outside the lock.
   */
  private <T> Future<T> underNameLock(
      RoutingContext ctx, String username, java.util.function.Supplier<Future<T>> check) {
    return vertx
        .sharedData()
        .withLock(LOGIN_LOCK_PREFIX + username, LOGIN_LOCK_WAIT_MS, check)
        .recover(
            failure -> {
              if (failure instanceof LoginRefused refused) {
                return delay(refused.delay()).compose(v -> Future.failedFuture(refused.answer()));
              }
              if (failure instanceof HttpException http) {
                if (http.getStatusCode() == HttpStatus.SERVICE_UNAVAILABLE) {
                  ctx.response().putHeader("Retry-After", "2");
                }
                return Future.failedFuture(failure);
              }
              // The lock was not had in time: too many attempts for this name are queued.
              ctx.response().putHeader("Retry-After", "5");
              return Future.failedFuture(
                  new HttpException(
                      HttpStatus.TOO_MANY_REQUESTS,
                      "too many password checks for this name at once; try again"));
            });
  }

  /**
   * The user when the password is theirs; else a count against the name and the address, and {@code
   * wrongStatus} (or 429 while locked out). Logins and password changes go through here.
   */
  private Future<UserRecord> throttledCheck(
      RoutingContext ctx,
      String username,
      String password,
      String address,
      String failureEvent,
      int wrongStatus) {
    return throttle
        .lockedFor(username, address)
        .compose(
            locked -> {
              if (locked.isPresent()) {
                // Counted, not audited each: one attacker could otherwise write rows at will.
                throttle.refusedWhileLocked(username);
                long seconds = Math.max(1, (locked.get().toMillis() + 999) / 1000);
                ctx.response().putHeader("Retry-After", String.valueOf(seconds));
                return Future.failedFuture(
                    new HttpException(
                        HttpStatus.TOO_MANY_REQUESTS,
                        "too many failed password checks; try again in " + seconds + " s"));
              }
              return checkPassword(username, password)
                  .compose(
                      user -> {
                        if (user != null) {
                          return throttle.succeeded(username).map(user);
                        }
                        loginEvent(failureEvent, username, address, "bad credentials");
                        return throttle
                            .failed(username, address)
                            .compose(
                                failure -> {
                                  if (failure.lockedNow()) {
                                    lockEvent(username, address, failure.failures());
                                  }
                                  return Future.failedFuture(
                                      new LoginRefused(
                                          failure.delay(),
                                          new HttpException(
                                              wrongStatus,
                                              wrongStatus == HttpStatus.UNAUTHORIZED
                                                  ? "user name or password is wrong"
                                                  : "the current password is wrong")));
                                });
                      });
            });
  }

  /** A failed login, with how long to hold the answer back (outside the per-name lock). */
  private static final class LoginRefused extends RuntimeException {
    private final Duration delay;
    private final HttpException answer;

    LoginRefused(Duration delay, HttpException answer) {
      super(answer.getMessage(), null, false, false);
      this.delay = delay;
      this.answer = answer;
    }

    Duration delay() {
      return delay;
    }

    HttpException answer() {
      return answer;
    }
  }

  public void createUser(RoutingContext ctx, JsonObject body) {
    Caller caller = AccessControl.caller(ctx);
    String username = Credentials.username(stringField(body, "username"));
    String password = Credentials.newPassword(stringField(body, "password"));
    List<Role> roles = roles(body.getValue("roles"));
    hash(password)
        .compose(hash -> users.create(username, hash, roles, caller.getUsername()))
        .compose(
            created ->
                created
                    ? Future.succeededFuture()
                    : Future.failedFuture(
                        DomainErrors.conflict("user " + username + " already exists")))
        .onSuccess(
            v -> {
              userEvent(
                  "user.created", caller, username, new JsonObject().put("roles", wire(roles)));
              ctx.response()
                  .setStatusCode(HttpStatus.CREATED)
                  .putHeader("Location", Operation.DELETE_USER.at(username));
              ctx.json(new JsonObject().put("username", username).put("roles", wire(roles)));
            })
        .onFailure(ctx::fail);
  }

  public void listUsers(RoutingContext ctx) {
    users
        .list()
        .onSuccess(
            list ->
                ctx.json(
                    new JsonObject()
                        .put(
                            "items",
                            new JsonArray(
                                list.stream()
                                    .map(
                                        u ->
                                            new JsonObject()
                                                .put("username", u.username())
                                                .put("roles", wire(u.roles()))
                                                .put("createdAt", u.createdAt())
                                                .put("createdBy", u.createdBy()))
                                    .toList()))))
        .onFailure(ctx::fail);
  }

  public void deleteUser(RoutingContext ctx) {
    Caller caller = AccessControl.caller(ctx);
    String username = ctx.pathParam("name");
    users
        .delete(username)
        .compose(
            outcome ->
                switch (outcome) {
                  case DELETED -> Future.<Void>succeededFuture();
                  case NOT_FOUND ->
                      Future.<Void>failedFuture(DomainErrors.notFound("no user " + username));
                  case LAST_ADMIN ->
                      Future.<Void>failedFuture(
                          DomainErrors.conflict("the last admin cannot be deleted"));
                })
        // Whatever tokens the deleted user still holds stop working now, not when they expire.
        .compose(v -> revocations.revoke(username))
        .onSuccess(
            v -> {
              userEvent("user.deleted", caller, username, new JsonObject());
              ctx.response().setStatusCode(HttpStatus.NO_CONTENT).end();
            })
        .onFailure(ctx::fail);
  }

  /** Ends the token the request carries (and only that one), until it would have expired. */
  public void logout(RoutingContext ctx) {
    Caller caller = AccessControl.caller(ctx);
    TokenService.Identity identity = AccessControl.identity(ctx);
    revocations
        .revokeToken(identity.tokenId(), identity.expiresAtMs())
        .onSuccess(
            v -> {
              events.publish(
                  DomainEvent.of(
                      "auth.logout",
                      caller.getUsername(),
                      "user/" + caller.getUsername(),
                      Outcome.SUCCESS,
                      caller.getSourceIp(),
                      new JsonObject()));
              ctx.response().setStatusCode(HttpStatus.NO_CONTENT).end();
            })
        .onFailure(ctx::fail);
  }

  /** A user changes their own password, proving the current one. */
  public void changeOwnPassword(RoutingContext ctx, JsonObject body) {
    Caller caller = AccessControl.caller(ctx);
    String current = stringField(body, "currentPassword");
    String next = Credentials.newPassword(stringField(body, "newPassword"));
    String address = AccessControl.sourceAddress(ctx);
    underNameLock(
            ctx,
            caller.getUsername(),
            () ->
                throttledCheck(
                    ctx,
                    caller.getUsername(),
                    current,
                    address,
                    "auth.password.check.failed",
                    HttpStatus.FORBIDDEN))
        .compose(user -> hash(next))
        .compose(hash -> users.updatePassword(caller.getUsername(), hash))
        // A changed password also ends the tokens issued under the old one.
        .compose(v -> revocations.revoke(caller.getUsername()))
        .onSuccess(
            v -> {
              userEvent("user.password.changed", caller, caller.getUsername(), new JsonObject());
              ctx.response().setStatusCode(HttpStatus.NO_CONTENT).end();
            })
        .onFailure(ctx::fail);
  }

  /** The user when the password is theirs, else null; equally slow for unknown names. */
  private Future<UserRecord> checkPassword(String username, String password) {
    // Each check costs about a core for a tenth of a second: beyond a bound, the work queued is
    // refused at once rather than left to grow (one check per name runs at a time already).
    if (pendingChecks.incrementAndGet() > MAX_PENDING_CHECKS) {
      pendingChecks.decrementAndGet();
      return Future.failedFuture(
          new HttpException(
              HttpStatus.SERVICE_UNAVAILABLE,
              "too many password checks at once; try again in a few seconds"));
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
        .andThen(done -> pendingChecks.decrementAndGet());
  }

  private Future<String> hash(String password) {
    return hashing.executeBlocking(() -> hasher.hash(password), false);
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
  private void lockEvent(String username, String address, long failures) {
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

  private void loginEvent(String type, String username, String address, String reason) {
    events.publish(
        DomainEvent.of(
            type,
            username,
            "user/" + username,
            reason == null ? Outcome.SUCCESS : Outcome.FAILURE,
            address,
            reason == null ? new JsonObject() : new JsonObject().put("reason", reason)));
  }

  private void userEvent(String type, Caller caller, String username, JsonObject details) {
    events.publish(
        DomainEvent.of(
            type,
            caller.getUsername(),
            "user/" + username,
            Outcome.SUCCESS,
            caller.getSourceIp(),
            details));
  }

  private static String stringField(JsonObject body, String name) {
    Object value = body.getValue(name);
    if (!(value instanceof String text) || text.isEmpty() || text.length() > 4096) {
      throw DomainErrors.badRequest("'" + name + "' must be a non-empty string");
    }
    return text;
  }

  private static List<Role> roles(Object value) {
    if (!(value instanceof JsonArray array) || array.isEmpty() || array.size() > 4) {
      throw DomainErrors.badRequest("'roles' must be a list of admin, operator, user, auditor");
    }
    List<Role> roles = new ArrayList<>();
    for (Object name : array) {
      roles.add(
          Role.fromWire(String.valueOf(name))
              .orElseThrow(
                  () ->
                      DomainErrors.badRequest(
                          "'roles' must be a list of admin, operator, user, auditor")));
    }
    return roles.stream().distinct().toList();
  }

  private static JsonArray wire(List<Role> roles) {
    return new JsonArray(roles.stream().map(Role::wireName).toList());
  }
}
