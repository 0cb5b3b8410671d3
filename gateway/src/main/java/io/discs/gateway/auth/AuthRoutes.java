package io.discs.gateway.auth;

import io.discs.platform.Caller;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.events.DomainEvent;
import io.discs.platform.events.DomainEvent.Outcome;
import io.discs.platform.events.EventPublisher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The token endpoint and user management. Password hashing runs on its own small worker pool. */
public final class AuthRoutes {
  private final Vertx vertx;
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
      LoginThrottle throttle,
      EventPublisher events,
      PasswordHasher hasher,
      WorkerExecutor hashing) {
    this.vertx = vertx;
    this.users = users;
    this.tokens = tokens;
    this.throttle = throttle;
    this.events = events;
    this.hasher = hasher;
    this.hashing = hashing;
  }

  public void issueToken(RoutingContext ctx, JsonObject body) {
    String username = stringField(body, "username");
    String password = stringField(body, "password");
    String address = AccessControl.sourceAddress(ctx);
    throttle
        .lockedFor(username, address)
        .compose(
            locked -> {
              if (locked.isPresent()) {
                loginEvent("auth.login.failed", username, address, "locked");
                long seconds = Math.max(1, (locked.get().toMillis() + 999) / 1000);
                ctx.response().putHeader("Retry-After", String.valueOf(seconds));
                return Future.failedFuture(
                    new HttpException(
                        429, "too many failed logins; try again in " + seconds + " s"));
              }
              return checkPassword(username, password)
                  .compose(
                      user -> {
                        if (user != null) {
                          loginEvent("auth.login.succeeded", username, address, null);
                          return throttle
                              .succeeded(username)
                              .map(
                                  v ->
                                      new JsonObject()
                                          .put(
                                              "access_token",
                                              tokens.issue(user.username(), user.roles()))
                                          .put("token_type", "Bearer")
                                          .put("expires_in", tokens.expiresInSeconds()));
                        }
                        loginEvent("auth.login.failed", username, address, "bad credentials");
                        return throttle
                            .failed(username, address)
                            .compose(this::delay)
                            .compose(
                                v ->
                                    Future.failedFuture(
                                        new HttpException(401, "user name or password is wrong")));
                      });
            })
        .onSuccess(ctx::json)
        .onFailure(ctx::fail);
  }

  public void createUser(RoutingContext ctx, JsonObject body) {
    Caller caller = AccessControl.caller(ctx);
    String username = Credentials.username(stringField(body, "username"));
    String password = Credentials.newPassword(stringField(body, "password"));
    List<Role> roles = roles(body.getValue("roles"));
    hash(password)
        .compose(hash -> users.create(username, hash, roles, caller.username()))
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
              ctx.response().setStatusCode(201).putHeader("Location", "/api/v1/users/" + username);
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
        .onSuccess(
            v -> {
              userEvent("user.deleted", caller, username, new JsonObject());
              ctx.response().setStatusCode(204).end();
            })
        .onFailure(ctx::fail);
  }

  /** A user changes their own password, proving the current one. */
  public void changeOwnPassword(RoutingContext ctx, JsonObject body) {
    Caller caller = AccessControl.caller(ctx);
    String current = stringField(body, "currentPassword");
    String next = Credentials.newPassword(stringField(body, "newPassword"));
    checkPassword(caller.username(), current)
        .compose(
            user ->
                user == null
                    ? Future.failedFuture(new HttpException(403, "the current password is wrong"))
                    : hash(next))
        .compose(hash -> users.updatePassword(caller.username(), hash))
        .onSuccess(
            v -> {
              userEvent("user.password.changed", caller, caller.username(), new JsonObject());
              ctx.response().setStatusCode(204).end();
            })
        .onFailure(ctx::fail);
  }

  /** The user when the password is theirs, else null; equally slow for unknown names. */
  private Future<UserRecord> checkPassword(String username, String password) {
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
                    false));
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
            caller.username(),
            "user/" + username,
            Outcome.SUCCESS,
            caller.sourceIp(),
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
