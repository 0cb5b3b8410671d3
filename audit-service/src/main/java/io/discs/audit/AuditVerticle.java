package io.discs.audit;

import io.discs.audit.seal.AuditKey;
import io.discs.audit.seal.Checkpoint;
import io.discs.audit.seal.CheckpointFile;
import io.discs.platform.Addresses;
import io.discs.platform.RequestIds;
import io.discs.platform.audit.AuditService;
import io.discs.platform.events.DomainEvent;
import io.discs.platform.launch.ServiceBindings;
import io.discs.platform.launch.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * audit-service's front door: binds the query service and records every domain event, sealed, with
 * a signed checkpoint of the log's head written outside the database every minute and at stop.
 */
public final class AuditVerticle extends VerticleBase {
  public static final String NAME = "audit-service";
  private static final Logger LOG = LoggerFactory.getLogger(AuditVerticle.class);
  private static final long CHECKPOINT_EVERY_MS = 60_000;

  private final ServiceContext services;
  private Future<AuditRepository.Head> tail;
  private WorkerExecutor worker;
  private CheckpointFile checkpoints;
  private long checkpointTimer = -1;
  private long checkpointedId = -1;

  public AuditVerticle(ServiceContext services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    AuditRepository repository = new AuditRepository(services.pool());
    worker = vertx.createSharedWorkerExecutor("discs-audit", 1);
    return worker
        .executeBlocking(() -> AuditKey.loadOrCreate(services.config().dataDir()), false)
        .compose(
            key -> {
              checkpoints = new CheckpointFile(services.config().dataDir(), key);
              tail = repository.head();
              MessageConsumer<JsonObject> events =
                  vertx
                      .eventBus()
                      .consumer(
                          Addresses.EVENTS,
                          message -> record(repository, key, withRequestId(message)));
              checkpointTimer = vertx.setPeriodic(CHECKPOINT_EVERY_MS, id -> checkpoint());
              return Future.all(
                  tail,
                  events.completion(),
                  ServiceBindings.bind(
                      vertx,
                      NAME,
                      Addresses.AUDIT_SERVICE,
                      AuditService.class,
                      new AuditServiceImpl(
                          repository, new AuditVerifier(repository, key, checkpoints, worker)),
                      services.pool(),
                      services.callers()));
            });
  }

  /** The event, with the id of the HTTP request that caused it when its message carried one. */
  private static DomainEvent withRequestId(Message<JsonObject> message) {
    DomainEvent event = DomainEvent.fromJson(message.body());
    String requestId = message.headers().get(RequestIds.HEADER);
    if (requestId != null && event.details() != null && !event.details().containsKey("requestId")) {
      event.details().put("requestId", requestId);
    }
    return event;
  }

  /** One append at a time, so the log keeps the order in which the events arrived. */
  private void record(AuditRepository repository, AuditKey key, DomainEvent event) {
    tail =
        tail.compose(
            head ->
                repository
                    .append(event, head, key)
                    .recover(
                        failure -> {
                          LOG.error(
                              "audit event {} for {} not recorded: {}",
                              event.type(),
                              event.resource(),
                              failure.getMessage());
                          // The seal chain goes on from the last row that was written.
                          return repository.head().otherwise(head);
                        }));
  }

  /** Writes the head to the checkpoint file when it moved since the last checkpoint. */
  private Future<Void> checkpoint() {
    if (tail == null || checkpoints == null) {
      return Future.succeededFuture();
    }
    return tail.<Void>compose(
            head -> {
              if (head.id() == checkpointedId || head.sealed() == 0) {
                return Future.succeededFuture();
              }
              Checkpoint checkpoint =
                  new Checkpoint(Instant.now(), head.sealed(), head.id(), head.seal());
              return worker
                  .executeBlocking(
                      () -> {
                        checkpoints.append(checkpoint);
                        return null;
                      },
                      false)
                  .onSuccess(v -> checkpointedId = head.id())
                  .mapEmpty();
            })
        .recover(
            failure -> {
              LOG.warn("audit checkpoint not written: {}", failure.getMessage());
              return Future.succeededFuture();
            });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(checkpointTimer);
    return checkpoint().transform(v -> worker == null ? Future.succeededFuture() : worker.close());
  }
}
