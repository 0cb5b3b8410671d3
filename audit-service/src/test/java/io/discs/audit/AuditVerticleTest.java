package io.discs.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.discs.platform.Addresses;
import io.discs.platform.audit.AuditEntry;
import io.discs.platform.audit.AuditQuery;
import io.discs.platform.audit.AuditService;
import io.discs.platform.audit.AuditVerification;
import io.discs.platform.events.DomainEvent;
import io.discs.platform.events.DomainEvent.Outcome;
import io.discs.platform.launch.ServiceContext;
import io.discs.testing.TestContexts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.serviceproxy.ServiceProxyBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class AuditVerticleTest {
  private ServiceContext context;
  private AuditService audit;

  @BeforeEach
  void deploy(Vertx vertx) throws Exception {
    context =
        TestContexts.fresh(vertx)
            .compose(ctx -> vertx.deployVerticle(new AuditVerticle(ctx)).map(id -> ctx))
            .await(30, TimeUnit.SECONDS);
    audit =
        new ServiceProxyBuilder(vertx)
            .setAddress(Addresses.AUDIT_SERVICE)
            .build(AuditService.class);
  }

  @Test
  void recordsPublishedEventsAndAnswersNewestFirst(Vertx vertx) throws Exception {
    context
        .events()
        .publish(
            DomainEvent.of(
                "image.uploaded",
                "alice",
                "image/1",
                Outcome.SUCCESS,
                "192.0.2.1",
                new JsonObject().put("sizeBytes", 2048)));
    context
        .events()
        .publish(
            DomainEvent.of("image.deleted", "bob", "image/1", Outcome.SUCCESS, "192.0.2.2", null));

    List<AuditEntry> entries =
        eventually(vertx, () -> audit.query(AuditQuery.of(null, null, null, null, 10)), 2);

    assertThat(entries)
        .extracting(AuditEntry::type)
        .containsExactly("image.deleted", "image.uploaded");
    JsonObject uploaded = entries.get(1).toJson();
    assertThat(uploaded.getString("actor")).isEqualTo("alice");
    assertThat(uploaded.getString("outcome")).isEqualTo("success");
    assertThat(uploaded.getString("sourceIp")).isEqualTo("192.0.2.1");
    assertThat(uploaded.getJsonObject("details").getInteger("sizeBytes")).isEqualTo(2048);
  }

  @Test
  void filtersByActorAndType(Vertx vertx) throws Exception {
    context
        .events()
        .publish(DomainEvent.of("auth.login.failed", "mallory", null, Outcome.FAILURE, null, null));
    context
        .events()
        .publish(
            DomainEvent.of("auth.login.succeeded", "alice", null, Outcome.SUCCESS, null, null));
    context
        .events()
        .publish(DomainEvent.of("auth.login.failed", "alice", null, Outcome.FAILURE, null, null));
    eventually(vertx, () -> audit.query(AuditQuery.of(null, null, null, null, 10)), 3);

    List<AuditEntry> aliceFailures =
        audit
            .query(AuditQuery.of("alice", "auth.login.failed", null, null, 10))
            .await(10, TimeUnit.SECONDS);

    assertThat(aliceFailures).hasSize(1);
    assertThat(aliceFailures.get(0).actor()).isEqualTo("alice");
  }

  @Test
  void keepsTheOrderOfArrivalAndAnIntactChain(Vertx vertx) throws Exception {
    for (int i = 0; i < 30; i++) {
      context
          .events()
          .publish(DomainEvent.of("step." + i, "alice", null, Outcome.SUCCESS, null, null));
    }
    List<AuditEntry> entries =
        eventually(vertx, () -> audit.query(AuditQuery.of(null, null, null, null, 100)), 30);

    assertThat(entries).extracting(AuditEntry::type).first().isEqualTo("step.29");
    assertThat(entries).extracting(AuditEntry::type).last().isEqualTo("step.0");
    AuditVerification verification = audit.verify().await(10, TimeUnit.SECONDS);
    assertThat(verification.isIntact()).isTrue();
    assertThat(verification.toJson().getLong("checked")).isEqualTo(30L);
  }

  @Test
  void refusesToUpdateOrDeleteRows(Vertx vertx) throws Exception {
    context
        .events()
        .publish(DomainEvent.of("image.deleted", "alice", "image/1", Outcome.SUCCESS, null, null));
    eventually(vertx, () -> audit.query(AuditQuery.of(null, null, null, null, 10)), 1);

    assertThatThrownBy(
            () ->
                context
                    .pool()
                    .query("UPDATE audit_events SET actor = 'mallory'")
                    .execute()
                    .await(10, TimeUnit.SECONDS))
        .hasMessageContaining("append-only");
    assertThatThrownBy(
            () ->
                context
                    .pool()
                    .query("DELETE FROM audit_events")
                    .execute()
                    .await(10, TimeUnit.SECONDS))
        .hasMessageContaining("append-only");
    assertThatThrownBy(
            () ->
                context.pool().query("TRUNCATE audit_events").execute().await(10, TimeUnit.SECONDS))
        .hasMessageContaining("append-only");
  }

  @Test
  void verificationNamesTheFirstRowEditedBehindItsBack(Vertx vertx) throws Exception {
    for (int i = 0; i < 5; i++) {
      context
          .events()
          .publish(DomainEvent.of("login." + i, "alice", null, Outcome.SUCCESS, "192.0.2.1", null));
    }
    List<AuditEntry> entries =
        eventually(vertx, () -> audit.query(AuditQuery.of(null, null, null, null, 10)), 5);
    long third = entries.get(2).id();

    // Someone with database superuser rights switches the guard off and rewrites history.
    context
        .pool()
        .query("ALTER TABLE audit_events DISABLE TRIGGER audit_events_immutable")
        .execute()
        .compose(
            v ->
                context
                    .pool()
                    .query("UPDATE audit_events SET actor = 'mallory' WHERE id = " + third)
                    .execute())
        .await(10, TimeUnit.SECONDS);

    AuditVerification verification = audit.verify().await(10, TimeUnit.SECONDS);
    assertThat(verification.isIntact()).isFalse();
    assertThat(verification.firstBrokenId()).isEqualTo(third);
  }

  @Test
  void verificationNoticesARemovedRow(Vertx vertx) throws Exception {
    for (int i = 0; i < 4; i++) {
      context
          .events()
          .publish(DomainEvent.of("login." + i, "alice", null, Outcome.SUCCESS, null, null));
    }
    List<AuditEntry> entries =
        eventually(vertx, () -> audit.query(AuditQuery.of(null, null, null, null, 10)), 4);
    long second = entries.get(2).id();
    long third = entries.get(1).id();

    context
        .pool()
        .query("ALTER TABLE audit_events DISABLE TRIGGER audit_events_immutable")
        .execute()
        .compose(
            v -> context.pool().query("DELETE FROM audit_events WHERE id = " + second).execute())
        .await(10, TimeUnit.SECONDS);

    assertThat(audit.verify().await(10, TimeUnit.SECONDS).firstBrokenId()).isEqualTo(third);
  }

  /**
   * Events are recorded asynchronously: poll until {@code count} rows are there or time runs out.
   */
  private static List<AuditEntry> eventually(
      Vertx vertx, java.util.function.Supplier<Future<List<AuditEntry>>> query, int count)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<AuditEntry> entries = List.of();
    while (System.nanoTime() < deadline) {
      entries = query.get().await(10, TimeUnit.SECONDS);
      if (entries.size() >= count) {
        return entries;
      }
      Thread.sleep(50);
    }
    return entries;
  }
}
