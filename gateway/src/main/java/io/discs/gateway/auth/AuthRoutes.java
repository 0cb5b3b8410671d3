package io.discs.gateway.auth;

import io.discs.gateway.Operation;
import io.discs.gateway.Requests;
import io.discs.gateway.api.ResourceRoutes;
import io.discs.platform.Caller;
import io.discs.platform.Role;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.error.HttpStatus;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The token endpoint and user management, as HTTP: what they do is {@link Accounts}'. */
public final class AuthRoutes implements ResourceRoutes {
  private static final String ROLES_RULE =
      "'roles' must be a list of admin, operator, user, auditor";

  private final Accounts accounts;

  public AuthRoutes(Accounts accounts) {
    this.accounts = accounts;
  }

  @Override
  public void addTo(Map<Operation, Handler<RoutingContext>> handlers) {
    handlers.put(Operation.ISSUE_TOKEN, this::issueToken);
    handlers.put(Operation.LOGOUT, this::logout);
    handlers.put(Operation.LIST_USERS, this::listUsers);
    handlers.put(Operation.CREATE_USER, this::createUser);
    handlers.put(Operation.DELETE_USER, this::deleteUser);
    handlers.put(Operation.UPDATE_USER, this::updateUser);
    handlers.put(Operation.CHANGE_OWN_PASSWORD, this::changeOwnPassword);
  }

  private void issueToken(RoutingContext ctx) {
    JsonObject body = Requests.jsonBody(ctx);
    accounts
        .signIn(
            stringField(body, "username"),
            stringField(body, "password"),
            AccessControl.sourceAddress(ctx))
        .onSuccess(
            issued ->
                ctx.json(
                    new JsonObject()
                        .put("access_token", issued.accessToken())
                        .put("token_type", "Bearer")
                        .put("expires_in", issued.expiresInSeconds())))
        .onFailure(ctx::fail);
  }

  private void logout(RoutingContext ctx) {
    accounts
        .signOut(AccessControl.caller(ctx), AccessControl.identity(ctx))
        .onSuccess(v -> ctx.response().setStatusCode(HttpStatus.NO_CONTENT).end())
        .onFailure(ctx::fail);
  }

  private void listUsers(RoutingContext ctx) {
    accounts
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
                                                .put("roles", Accounts.wire(u.roles()))
                                                .put("createdAt", u.createdAt())
                                                .put("createdBy", u.createdBy()))
                                    .toList()))))
        .onFailure(ctx::fail);
  }

  private void createUser(RoutingContext ctx) {
    JsonObject body = Requests.jsonBody(ctx);
    String username = stringField(body, "username");
    List<Role> roles = roles(body.getValue("roles"));
    accounts
        .create(AccessControl.caller(ctx), username, stringField(body, "password"), roles)
        .onSuccess(
            v -> {
              ctx.response()
                  .setStatusCode(HttpStatus.CREATED)
                  .putHeader("Location", Operation.DELETE_USER.at(username));
              ctx.json(
                  new JsonObject().put("username", username).put("roles", Accounts.wire(roles)));
            })
        .onFailure(ctx::fail);
  }

  private void deleteUser(RoutingContext ctx) {
    accounts
        .delete(AccessControl.caller(ctx), ctx.pathParam("name"))
        .onSuccess(v -> ctx.response().setStatusCode(HttpStatus.NO_CONTENT).end())
        .onFailure(ctx::fail);
  }

  /**
   * Roles, a new password, or both; each ends the user's tokens. Both are checked before either is
   * made, so a bad password does not leave the roles changed.
   */
  private void updateUser(RoutingContext ctx) {
    JsonObject body = Requests.jsonBody(ctx);
    String username = ctx.pathParam("name");
    Caller caller = AccessControl.caller(ctx);
    List<Role> roles = body.containsKey("roles") ? roles(body.getValue("roles")) : null;
    String password = body.containsKey("password") ? stringField(body, "password") : null;
    if (roles == null && password == null) {
      throw DomainErrors.badRequest("give 'roles', 'password' or both");
    }
    if (password != null) {
      Credentials.newPassword(password);
    }
    Future<Void> rolesSet =
        roles == null ? Future.succeededFuture() : accounts.setRoles(caller, username, roles);
    rolesSet
        .compose(
            v ->
                password == null
                    ? Future.<Void>succeededFuture()
                    : accounts.resetPassword(caller, username, password))
        .onSuccess(v -> ctx.response().setStatusCode(HttpStatus.NO_CONTENT).end())
        .onFailure(ctx::fail);
  }

  private void changeOwnPassword(RoutingContext ctx) {
    JsonObject body = Requests.jsonBody(ctx);
    accounts
        .changeOwnPassword(
            AccessControl.caller(ctx),
            stringField(body, "currentPassword"),
            stringField(body, "newPassword"),
            AccessControl.sourceAddress(ctx))
        .onSuccess(v -> ctx.response().setStatusCode(HttpStatus.NO_CONTENT).end())
        .onFailure(ctx::fail);
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
      throw DomainErrors.badRequest(ROLES_RULE);
    }
    List<Role> roles = new ArrayList<>();
    for (Object name : array) {
      roles.add(
          Role.fromWire(String.valueOf(name))
              .orElseThrow(() -> DomainErrors.badRequest(ROLES_RULE)));
    }
    return roles.stream().distinct().toList();
  }
}
