package io.discs.gateway.api;

import io.discs.gateway.Operation;
import io.discs.gateway.Requests;
import io.discs.platform.audit.AuditQuery;
import io.discs.platform.audit.AuditService;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.error.HttpStatus;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** The audit log, for auditors: query and verify. */
public final class AuditRoutes implements ResourceRoutes {
  private final AuditService audit;

  public AuditRoutes(AuditService audit) {
    this.audit = audit;
  }

  @Override
  public void addTo(Map<Operation, Handler<RoutingContext>> handlers) {
    handlers.put(Operation.QUERY_AUDIT, this::query);
    handlers.put(Operation.VERIFY_AUDIT, this::verify);
  }

  private void query(RoutingContext ctx) {
    Responses.json(
        ctx, HttpStatus.OK, audit.query(auditQuery(ctx)).map(Responses.items(e -> e.toJson())));
  }

  private void verify(RoutingContext ctx) {
    Responses.json(ctx, HttpStatus.OK, audit.verify().map(v -> v.toJson()));
  }

  private static AuditQuery auditQuery(RoutingContext ctx) {
    String since = ctx.request().getParam("since");
    Instant sinceInstant;
    try {
      sinceInstant = since == null || since.isEmpty() ? null : Instant.parse(since);
    } catch (DateTimeParseException e) {
      throw DomainErrors.badRequest(
          "query parameter 'since' must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
    }
    int limit = Requests.intParam(ctx, "limit", AuditQuery.DEFAULT_LIMIT, 1, AuditQuery.MAX_LIMIT);
    Integer before =
        ctx.request().getParam("before") == null
            ? null
            : Requests.intParam(ctx, "before", 0, 1, Integer.MAX_VALUE);
    return AuditQuery.of(
        ctx.request().getParam("actor"),
        ctx.request().getParam("type"),
        sinceInstant,
        before == null ? null : before.longValue(),
        limit);
  }
}
