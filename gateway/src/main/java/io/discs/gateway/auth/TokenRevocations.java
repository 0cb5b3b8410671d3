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
      INSERT INTO identity.token_revocations (username, revoked_at) VALUES ($1, $2)
      ON CONFLICT (username) DO UPDATE SET revoked_at = excluded.revoked_at
      """;
  private static final String RECENT =
      "SELECT username, revoked_at FROM identity.token_revocations WHERE revoked_at > $1";
  private static final String FORGET_OLD =
      "DELETE FROM identity.token_revocations WHERE revoked_at <= $1";
  private static final String REVOKE_TOKEN =
      "INSERT INTO identity.revoked_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING";
  private static final String FORGET_EXPIRED_TOKENS =
      "DELETE FROM identity.revoked_tokens WHERE expires_at <= now()";
  private static final String LIVE_TOKENS = "SELECT jti, expires_at FROM identity.revoked_tokens";
  private static final String TOKEN_KEY = "jti:";

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

  /** One token is void from now on (its holder logged out), until it would have expired. */
  public Future<Void> revokeToken(String tokenId, long expiresAtMs) {
    return pool.preparedQuery(REVOKE_TOKEN)
        .execute(
            Tuple.of(
                tokenId,
                OffsetDateTime.ofInstant(Instant.ofEpochMilli(expiresAtMs), ZoneOffset.UTC)))
        .compose(v -> rememberToken(tokenId, expiresAtMs));
  }

  /** Whether the token was revoked: all of its user's older tokens, or this one alone. */
  public Future<Boolean> isRevoked(TokenService.Identity identity) {
    return map()
        .compose(
            map ->
                Future.all(map.get(identity.username()), map.get(TOKEN_KEY + identity.tokenId())))
        .map(
            both -> {
              Long userRevokedAt = both.resultAt(0);
              Long tokenRevoked = both.resultAt(1);
              return tokenRevoked != null
                  || (userRevokedAt != null && identity.issuedAtMs() < userRevokedAt);
            });
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
            })
        .compose(
            users ->
                pool.query(FORGET_EXPIRED_TOKENS)
                    .execute()
                    .compose(v -> pool.query(LIVE_TOKENS).execute())
                    .compose(
                        rows -> {
                          List<Future<Void>> remembered = new ArrayList<>();
                          for (Row row : rows) {
                            remembered.add(
                                rememberToken(
                                    row.getString("jti"),
                                    row.getOffsetDateTime("expires_at")
                                        .toInstant()
                                        .toEpochMilli()));
                          }
                          return Future.all(remembered).map(users + rows.rowCount());
                        }));
  }

  private Future<Void> rememberToken(String tokenId, long expiresAtMs) {
    long ttl = Math.max(1, expiresAtMs - System.currentTimeMillis());
    return map().compose(map -> map.put(TOKEN_KEY + tokenId, expiresAtMs, ttl));
  }

  private Future<Void> remember(String username, long atMs) {
    long ttl = Math.max(1, atMs + lifetimeMs - System.currentTimeMillis());
    return map().compose(map -> map.put(username, atMs, ttl));
  }

  private Future<AsyncMap<String, Long>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }
}
