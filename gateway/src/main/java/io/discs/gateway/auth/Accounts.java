package io.discs.gateway.auth;

import io.discs.platform.Caller;
import io.discs.platform.Role;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.events.DomainEvent;
import io.discs.platform.events.DomainEvent.Outcome;
import io.discs.platform.events.EventPublisher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Identity: signing in, signing out, and the users and their passwords, each change audited and
 * each that should end tokens ending them. Routes only translate HTTP to these calls.
 */
public final class Accounts {
  private final UserStore users;
  private final TokenService tokens;
  private final TokenRevocations revocations;
  private final PasswordChecks passwords;
  private final EventPublisher events;

  /**
   * @param hashing the small worker pool password hashing runs on
   */
  public Accounts(
      Vertx vertx,
      UserStore users,
      TokenService tokens,
      TokenRevocations revocations,
      LoginThrottle throttle,
      EventPublisher events,
      PasswordHasher hasher,
      WorkerExecutor hashing) {
    this.users = users;
    this.tokens = tokens;
    this.revocations = revocations;
    this.events = events;
    this.passwords = new PasswordChecks(vertx, users, throttle, events, hasher, hashing);
  }

  /** A token issued. */
  public record Issued(String accessToken, long expiresInSeconds) {}

  /** A bearer token for the user whose password this is. */
  public Future<Issued> signIn(String username, String password, String address) {
    if (!Credentials.isPossibleUsername(username)) {
      // No account can have this name: no password check, no count, no audit row per request.
      return Future.failedFuture(PasswordChecks.Purpose.LOGIN.wrong());
    }
    return passwords
        .verify(username, password, address, PasswordChecks.Purpose.LOGIN)
        .map(
            user -> {
              passwords.audit("auth.login.succeeded", username, address, null);
              return new Issued(
                  tokens.issue(user.username(), user.roles()), tokens.expiresInSeconds());
            });
  }

  /** Ends one token (and only that one), until it would have expired. */
  public Future<Void> signOut(Caller caller, TokenService.Identity token) {
    return revocations
        .revokeToken(token.tokenId(), token.expiresAtMs())
        .onSuccess(
            v ->
                events.publish(
                    DomainEvent.of(
                        "auth.logout",
                        caller.getUsername(),
                        "user/" + caller.getUsername(),
                        Outcome.SUCCESS,
                        caller.getSourceIp(),
                        new JsonObject())));
  }

  public Future<List<UserRecord>> list() {
    return users.list();
  }

  public Future<Void> create(Caller caller, String username, String password, List<Role> roles) {
    String name = Credentials.username(username);
    String checked = Credentials.newPassword(password);
    return passwords
        .hash(checked)
        .compose(hash -> users.create(name, hash, roles, caller.getUsername()))
        .compose(
            created ->
                created
                    ? Future.<Void>succeededFuture()
                    : Future.<Void>failedFuture(
                        DomainErrors.conflict("user " + name + " already exists")))
        .onSuccess(
            v -> audit("user.created", caller, name, new JsonObject().put("roles", wire(roles))));
  }

  /** Removes the user; whatever tokens they still hold stop working now. */
  public Future<Void> delete(Caller caller, String username) {
    return users
        .delete(username)
        .compose(outcome -> guarded(outcome, username, "the last admin cannot be deleted"))
        .compose(v -> revocations.revoke(username))
        .onSuccess(v -> audit("user.deleted", caller, username, new JsonObject()));
  }

  /**
   * Gives the user these roles; their tokens (which carry the old ones) stop working now, so the
   * change holds at once. The last admin keeps the admin role.
   */
  public Future<Void> setRoles(Caller caller, String username, List<Role> roles) {
    return users
        .setRoles(username, roles)
        .compose(outcome -> guarded(outcome, username, "the last admin must stay an admin"))
        .compose(v -> revocations.revoke(username))
        .onSuccess(
            v ->
                audit(
                    "user.roles.changed",
                    caller,
                    username,
                    new JsonObject().put("roles", wire(roles))));
  }

  /** An admin sets someone's password (they forgot it); their tokens stop working now. */
  public Future<Void> resetPassword(Caller caller, String username, String password) {
    String checked = Credentials.newPassword(password);
    return passwords
        .hash(checked)
        .compose(hash -> users.updatePassword(username, hash))
        .compose(
            updated ->
                updated
                    ? revocations.revoke(username)
                    : Future.<Void>failedFuture(DomainErrors.notFound("no user " + username)))
        .onSuccess(v -> audit("user.password.reset", caller, username, new JsonObject()));
  }

  private static Future<Void> guarded(
      UserStore.AdminGuarded outcome, String username, String lastAdmin) {
    return switch (outcome) {
      case DONE -> Future.succeededFuture();
      case NOT_FOUND -> Future.failedFuture(DomainErrors.notFound("no user " + username));
      case LAST_ADMIN -> Future.failedFuture(DomainErrors.conflict(lastAdmin));
    };
  }

  /** The caller's own password, proving the current one; ends the tokens of the old one. */
  public Future<Void> changeOwnPassword(
      Caller caller, String current, String next, String address) {
    String checked = Credentials.newPassword(next);
    return passwords
        .verify(caller.getUsername(), current, address, PasswordChecks.Purpose.CURRENT_PASSWORD)
        .compose(user -> passwords.hash(checked))
        .compose(hash -> users.updatePassword(caller.getUsername(), hash))
        .compose(v -> revocations.revoke(caller.getUsername()))
        .onSuccess(
            v -> audit("user.password.changed", caller, caller.getUsername(), new JsonObject()));
  }

  static JsonArray wire(List<Role> roles) {
    return new JsonArray(roles.stream().map(Role::wireName).toList());
  }

  private void audit(String type, Caller caller, String username, JsonObject details) {
    events.publish(
        DomainEvent.of(
            type,
            caller.getUsername(),
            "user/" + username,
            Outcome.SUCCESS,
            caller.getSourceIp(),
            details));
  }
}
