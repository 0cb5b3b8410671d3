package io.discs.gateway.auth;

import io.discs.platform.Role;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The {@code users} table. */
public final class UserStore {
  private static final String COLUMNS = "username, password_hash, roles, created_at, created_by";
  private static final String GET =
      "SELECT " + COLUMNS + " FROM identity.users WHERE username = $1";
  private static final String LIST = "SELECT " + COLUMNS + " FROM identity.users ORDER BY username";
  private static final String INSERT =
      """
      INSERT INTO identity.users (username, password_hash, roles, created_by) VALUES ($1, $2, $3, $4)
      ON CONFLICT (username) DO NOTHING
      """;
  private static final String UPDATE_PASSWORD =
      "UPDATE identity.users SET password_hash = $2, password_changed_at = now() WHERE username = $1";

  /** One statement, so two admins deleting each other at once cannot leave none. */
  private static final String DELETE_UNLESS_LAST_ADMIN =
      """
      DELETE FROM identity.users WHERE username = $1
        AND (NOT ('admin' = ANY(roles))
             OR (SELECT count(*) FROM identity.users WHERE 'admin' = ANY(roles)) > 1)
      """;

  /** One statement, for the same reason: the last admin keeps the role. */
  private static final String SET_ROLES_UNLESS_LAST_ADMIN =
      """
      UPDATE identity.users SET roles = $2 WHERE username = $1
        AND ('admin' = ANY($2) OR NOT ('admin' = ANY(roles))
             OR (SELECT count(*) FROM identity.users WHERE 'admin' = ANY(roles)) > 1)
      """;

  private final Pool pool;

  public UserStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<UserRecord>> find(String username) {
    return pool.preparedQuery(GET)
        .execute(Tuple.of(username))
        .map(
            rows ->
                rows.iterator().hasNext()
                    ? Optional.of(toUser(rows.iterator().next()))
                    : Optional.empty());
  }

  public Future<List<UserRecord>> list() {
    return pool.query(LIST)
        .execute()
        .map(
            rows -> {
              List<UserRecord> users = new ArrayList<>();
              rows.forEach(row -> users.add(toUser(row)));
              return users;
            });
  }

  /** False when the name is taken. */
  public Future<Boolean> create(
      String username, String passwordHash, List<Role> roles, String createdBy) {
    String[] roleNames = roles.stream().map(Role::wireName).distinct().toArray(String[]::new);
    return pool.preparedQuery(INSERT)
        .execute(Tuple.of(username, passwordHash, roleNames, createdBy))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<Boolean> updatePassword(String username, String passwordHash) {
    return pool.preparedQuery(UPDATE_PASSWORD)
        .execute(Tuple.of(username, passwordHash))
        .map(rows -> rows.rowCount() == 1);
  }

  public Future<AdminGuarded> delete(String username) {
    return pool.preparedQuery(DELETE_UNLESS_LAST_ADMIN)
        .execute(Tuple.of(username))
        .compose(rows -> outcome(username, rows.rowCount()));
  }

  /** Sets a user's roles, unless that would leave no admin. */
  public Future<AdminGuarded> setRoles(String username, List<Role> roles) {
    String[] roleNames = roles.stream().map(Role::wireName).distinct().toArray(String[]::new);
    return pool.preparedQuery(SET_ROLES_UNLESS_LAST_ADMIN)
        .execute(Tuple.of(username, (Object) roleNames))
        .compose(rows -> outcome(username, rows.rowCount()));
  }

  /** A guarded statement that changed no row: the user is missing, or is the last admin. */
  private Future<AdminGuarded> outcome(String username, int changed) {
    if (changed == 1) {
      return Future.succeededFuture(AdminGuarded.DONE);
    }
    return find(username)
        .map(user -> user.isPresent() ? AdminGuarded.LAST_ADMIN : AdminGuarded.NOT_FOUND);
  }

  /** What a change that must leave at least one admin came to. */
  public enum AdminGuarded {
    DONE,
    NOT_FOUND,
    LAST_ADMIN
  }

  private static UserRecord toUser(Row row) {
    List<Role> roles =
        Arrays.stream(row.getArrayOfStrings("roles"))
            .map(name -> Role.fromWire(name).orElseThrow())
            .toList();
    return new UserRecord(
        row.getString("username"),
        row.getString("password_hash"),
        roles,
        row.getOffsetDateTime("created_at").toInstant(),
        row.getString("created_by"));
  }
}
