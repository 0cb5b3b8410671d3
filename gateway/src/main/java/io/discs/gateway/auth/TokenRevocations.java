package io.discs.gateway.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Voids the tokens a user already holds when the user is deleted or changes their password: tokens
 * issued before the revocation are refused from then on. Revocations live in cluster-wide shared
 * data (one lookup a request, no database), are written to PostgreSQL too, and are loaded from it
 * at start; each lasts as long as a token can, after which every older token has expired anyway.
 */
public final class TokenRevocations {
  static final String MAP = "discs.token-revocations";
  private static final String UPSERT =
      """
      INSERT INTO token_revocations (username, revoked_at) VALUES ($1, $2)
      ON CONFLICT (username) DO UPDATE SET revoked_at = excluded.revoked_at
      """;
  private static final String RECENT =
      "SELECT username, revoked_at FROM token_revocations WHERE revoked_at > $1";
  private static final String FORGET_OLD = "DELETE FROM token_revocations WHERE revoked_at <= $1";

  private final Vertx vertx;
  private final Pool pool;
  private final long lifetimeMs;

  /**
   * @param lifetimeMs how long a token can live, leeway included
   */
  public TokenRevocations(Vertx vertx, Pool pool, long lifetimeMs) {
    this.vertx = vertx;
    this.pool = pool;
    this.lifetimeMs = lifetimeMs;
  }

  /** Tokens of {@code username} issued before now are void from now on. */
  public Future<Void> revoke(String username) {
    Instant now = Instant.now();
    return pool.preparedQuery(UPSERT)
        .execute(Tuple.of(username, OffsetDateTime.ofInstant(now, ZoneOffset.UTC)))
        .compose(v -> remember(username, now.toEpochMilli()));
  }

  /** Whether a token of {@code username} issued at {@code issuedAtMs} has been revoked since. */
  public Future<Boolean> isRevoked(String username, long issuedAtMs) {
    return map().compose(map -> map.get(username)).map(at -> at != null && issuedAtMs < at);
  }

  /** At start: the revocations younger than a token's lifetime, back into shared data. */
  public Future<Integer> load() {
    OffsetDateTime horizon =
        OffsetDateTime.ofInstant(Instant.now().minusMillis(lifetimeMs), ZoneOffset.UTC);
    return pool.preparedQuery(FORGET_OLD)
        .execute(Tuple.of(horizon))
        .compose(v -> pool.preparedQuery(RECENT).execute(Tuple.of(horizon)))
        .compose(
            rows -> {
              List<Future<Void>> remembered = new ArrayList<>();
              for (Row row : rows) {
                remembered.add(
                    remember(
                        row.getString("username"),
                        row.getOffsetDateTime("revoked_at").toInstant().toEpochMilli()));
              }
              return Future.all(remembered).map(rows.rowCount());
            });
  }

  private Future<Void> remember(String username, long atMs) {
    long ttl = Math.max(1, atMs + lifetimeMs - System.currentTimeMillis());
    return map().compose(map -> map.put(username, atMs, ttl));
  }

  private Future<AsyncMap<String, Long>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }
}
