package io.discs.gateway.auth;

import io.discs.platform.Caller;
import io.discs.platform.Role;
import io.discs.platform.cluster.CallerProofs;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.events.DomainEvent;
import io.discs.platform.events.DomainEvent.Outcome;
import io.discs.platform.events.EventPublisher;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The one gate every {@code /api/v1} route passes: a bearer token that {@link TokenService} accepts
 * (else 401) whose roles grant the route's permission (else 403, audited as {@code authz.denied}).
 * The caller it establishes is what services see and audit.
 */
public final class AccessControl {
  private static final String CALLER = "discs.caller";

  private final TokenService tokens;
  private final TokenRevocations revocations;
  private final EventPublisher events;

  private final CallerProofs callers;

  public AccessControl(
      TokenService tokens,
      TokenRevocations revocations,
      EventPublisher events,
      CallerProofs callers) {
    this.callers = callers;
    this.tokens = tokens;
    this.revocations = revocations;
    this.events = events;
  }

  public Handler<RoutingContext> require(Permission permission) {
    if (!permission.needsToken()) {
      return RoutingContext::next;
    }
    return ctx -> {
      String header = ctx.request().getHeader("Authorization");
      if (header == null
          || !header.regionMatches(true, 0, "Bearer ", 0, 7)
          || header.length() > 8192) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        ctx.fail(DomainErrors.unauthorized(DomainErrors.TOKEN_REQUIRED));
        return;
      }
      tokens
          .verify(header.substring(7).trim())
          .compose(
              identity ->
                  revocations
                      .isRevoked(identity)
                      .compose(
                          revoked ->
                              revoked
                                  ? Future.<TokenService.Identity>failedFuture(
                                      new IllegalStateException("revoked"))
                                  : Future.succeededFuture(identity)))
          .onComplete(
              result -> {
                if (result.failed()) {
                  ctx.response().putHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                  ctx.fail(DomainErrors.unauthorized("the bearer token is not valid"));
                  return;
                }
                TokenService.Identity identity = result.result();
                ctx.put(IDENTITY, identity);
                Caller caller =
                    new Caller(
                        identity.username(),
                        identity.roles().stream().map(Role::wireName).toList(),
                        sourceAddress(ctx));
                if (!permission.grantedToAnyOf(identity.roles())) {
                  events.publish(
                      DomainEvent.of(
                          "authz.denied",
                          caller.getUsername(),
                          ctx.request().method() + " " + ctx.request().path(),
                          Outcome.DENIED,
                          caller.getSourceIp(),
                          new JsonObject()
                              .put("permission", permission.name())
                              .put("roles", caller.getRoles())));
                  ctx.fail(DomainErrors.forbidden(DomainErrors.ROLE_FORBIDS));
                  return;
                }
                // Sealed: services act only for callers a member proved (the token, here).
                ctx.put(CALLER, callers.seal(caller));
                ctx.next();
              });
    };
  }

  private static final String IDENTITY = "discs.identity";

  /** The verified token {@link #require} accepted; only valid behind it. */
  public static TokenService.Identity identity(RoutingContext ctx) {
    TokenService.Identity identity = ctx.get(IDENTITY);
    if (identity == null) {
      throw notBehindAccessControl();
    }
    return identity;
  }

  /** The caller {@link #require} established; only valid behind it. */
  public static Caller caller(RoutingContext ctx) {
    Caller caller = ctx.get(CALLER);
    if (caller == null) {
      throw notBehindAccessControl();
    }
    return caller;
  }

  /** The client's address as {@code ClientAddresses} resolved it (proxies taken into account). */
  public static String sourceAddress(RoutingContext ctx) {
    String resolved = ctx.get("discs.clientAddress");
    if (resolved != null) {
      return resolved;
    }
    return ctx.request().remoteAddress() == null
        ? null
        : ctx.request().remoteAddress().hostAddress();
  }

  private static IllegalStateException notBehindAccessControl() {
    return new IllegalStateException("route is not behind AccessControl");
  }
}
