package io.discs.audit;

import io.discs.platform.Addresses;
import io.discs.platform.audit.AuditService;
import io.discs.platform.events.DomainEvent;
import io.discs.platform.launch.ServiceBindings;
import io.discs.platform.launch.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** audit-service's front door: binds the query service and records every domain event. */
public final class AuditVerticle extends VerticleBase {
  public static final String NAME = "audit-service";
  private static final Logger LOG = LoggerFactory.getLogger(AuditVerticle.class);

  private final ServiceContext context;
  private Future<Void> tail = Future.succeededFuture();

  public AuditVerticle(ServiceContext context) {
    this.context = context;
  }

  @Override
  public Future<?> start() {
    AuditRepository repository = new AuditRepository(context.pool());
    MessageConsumer<JsonObject> events =
        vertx
            .eventBus()
            .consumer(
                Addresses.EVENTS,
                message -> {
                  DomainEvent event = DomainEvent.fromJson(message.body());
                  // One append at a time, so the log keeps the order in which the events arrived.
                  tail =
                      tail.compose(v -> repository.append(event))
                          .otherwise(
                              failure -> {
                                LOG.error(
                                    "audit event {} for {} not recorded: {}",
                                    event.type(),
                                    event.resource(),
                                    failure.getMessage());
                                return null;
                              });
                });
    return Future.all(
        events.completion(),
        ServiceBindings.bind(
            vertx,
            NAME,
            Addresses.AUDIT_SERVICE,
            AuditService.class,
            new AuditServiceImpl(repository),
            context.pool()));
  }
}
