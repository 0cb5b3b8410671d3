package io.discs.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
        eventually(() -> audit.query(AuditQuery.of(null, null, null, null, 10)), 2);

    assertThat(entries)
        .extracting(AuditEntry::getType)
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
    eventually(() -> audit.query(AuditQuery.of(null, null, null, null, 10)), 3);

    List<AuditEntry> aliceFailures =
        audit
            .query(AuditQuery.of("alice", "auth.login.failed", null, null, 10))
            .await(10, TimeUnit.SECONDS);

    assertThat(aliceFailures).hasSize(1);
    assertThat(aliceFailures.get(0).getActor()).isEqualTo("alice");
  }

  @Test
  void keepsTheOrderOfArrivalAndAnIntactChain(Vertx vertx) throws Exception {
    for (int i = 0; i < 30; i++) {
      context
          .events()
          .publish(DomainEvent.of("step." + i, "alice", null, Outcome.SUCCESS, null, null));
    }
    List<AuditEntry> entries =
        eventually(() -> audit.query(AuditQuery.of(null, null, null, null, 100)), 30);

    assertThat(entries).extracting(AuditEntry::getType).first().isEqualTo("step.29");
    assertThat(entries).extracting(AuditEntry::getType).last().isEqualTo("step.0");
    AuditVerification verification = audit.verify().await(10, TimeUnit.SECONDS);
    assertThat(verification.isIntact()).isTrue();
    assertThat(verification.toJson().getLong("checked")).isEqualTo(30L);
  }

  @Test
  void refusesToUpdateOrDeleteRows(Vertx vertx) throws Exception {
    context
        .events()
        .publish(DomainEvent.of("image.deleted", "alice", "image/1", Outcome.SUCCESS, null, null));
    eventually(() -> audit.query(AuditQuery.of(null, null, null, null, 10)), 1);

    assertThatThrownBy(
            () ->
                context
                    .pool()
                    .query("UPDATE audit.audit_events SET actor = 'mallory'")
                    .execute()
                    .await(10, TimeUnit.SECONDS))
        .hasMessageContaining("append-only");
    assertThatThrownBy(
            () ->
                context
                    .pool()
                    .query("DELETE FROM audit.audit_events")
                    .execute()
                    .await(10, TimeUnit.SECONDS))
        .hasMessageContaining("append-only");
    assertThatThrownBy(
            () ->
                context
                    .pool()
                    .query("TRUNCATE audit.audit_events")
                    .execute()
                    .await(10, TimeUnit.SECONDS))
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
        eventually(() -> audit.query(AuditQuery.of(null, null, null, null, 10)), 5);
    long third = entries.get(2).getId();

    // Someone with database superuser rights switches the guard off and rewrites history.
    context
        .pool()
        .query("ALTER TABLE audit.audit_events DISABLE TRIGGER audit_events_immutable")
        .execute()
        .compose(
            v ->
                context
                    .pool()
                    .query("UPDATE audit.audit_events SET actor = 'mallory' WHERE id = " + third)
                    .execute())
        .await(10, TimeUnit.SECONDS);

    AuditVerification verification = audit.verify().await(10, TimeUnit.SECONDS);
    assertThat(verification.isIntact()).isFalse();
    assertThat(verification.getFirstBrokenId()).isEqualTo(third);
  }

  @Test
  void verificationNoticesARemovedRow(Vertx vertx) throws Exception {
    for (int i = 0; i < 4; i++) {
      context
          .events()
          .publish(DomainEvent.of("login." + i, "alice", null, Outcome.SUCCESS, null, null));
    }
    List<AuditEntry> entries =
        eventually(() -> audit.query(AuditQuery.of(null, null, null, null, 10)), 4);
    long second = entries.get(2).getId();
    long third = entries.get(1).getId();

    context
        .pool()
        .query("ALTER TABLE audit.audit_events DISABLE TRIGGER audit_events_immutable")
        .execute()
        .compose(
            v ->
                context
                    .pool()
                    .query("DELETE FROM audit.audit_events WHERE id = " + second)
                    .execute())
        .await(10, TimeUnit.SECONDS);

    assertThat(audit.verify().await(10, TimeUnit.SECONDS).getFirstBrokenId()).isEqualTo(third);
  }

  @Test
  @org.junit.jupiter.api.Tag("security")
  void sealsNoticeAHistoryRewrittenAndReChainedWithoutTheKey(Vertx vertx) throws Exception {
    List<AuditEntry> entries = publish(5);
    long second = entries.get(3).getId();
    long third = entries.get(2).getId();

    // A database owner removes a row and recomputes the SHA-256 chain after it, as the trigger
    // would have: the unkeyed chain is whole again.
    superuser(
        "ALTER TABLE audit.audit_events DISABLE TRIGGER USER",
        "ALTER TABLE audit.audit_seals DISABLE TRIGGER USER",
        "DELETE FROM audit.audit_events WHERE id = " + second,
        "DELETE FROM audit.audit_seals WHERE event_id = " + second,
        """
        DO $$
        DECLARE r RECORD; previous CHAR(64) := repeat('0', 64);
        BEGIN
          FOR r IN SELECT * FROM audit.audit_events ORDER BY id LOOP
            UPDATE audit.audit_events SET prev_hash = previous,
              hash = audit.audit_row_hash(r.id, r.at, r.type, r.actor, r.resource, r.outcome,
                                    r.source_ip, r.details, previous)
             WHERE id = r.id RETURNING hash INTO previous;
          END LOOP;
        END $$
        """);

    AuditVerification verification = audit.verify().await(10, TimeUnit.SECONDS);
    io.discs.testing.security.SecurityReport.record(
        "The audit chain can be rewritten by its owner",
        "as the table owner: delete a row, re-chain the SHA-256 hashes after it",
        "/audit/verify: broken at the row after the deleted one (its seal)",
        verification.toJson().getBoolean("intact")
            ? "intact"
            : "broken at the row after it: " + verification.toJson().getString("reason"));
    assertThat(verification.isIntact()).isFalse();
    assertThat(verification.getFirstBrokenId()).isEqualTo(third);
    assertThat(verification.toJson().getString("reason")).contains("seal");
  }

  @Test
  @org.junit.jupiter.api.Tag("security")
  void sealsNoticeARowWrittenWithTheTriggersOff(Vertx vertx) throws Exception {
    publish(3);

    superuser(
        "ALTER TABLE audit.audit_events DISABLE TRIGGER USER",
        """
        INSERT INTO audit.audit_events (id, at, type, actor, resource, outcome, source_ip, details,
                                  prev_hash, hash)
        SELECT 1000, now(), 'user.created', 'admin', 'user/mallory', 'success', NULL, '{}',
               last.hash,
               audit.audit_row_hash(1000, now(), 'user.created', 'admin', 'user/mallory', 'success',
                              NULL, '{}', last.hash)
        FROM (SELECT hash FROM audit.audit_events ORDER BY id DESC LIMIT 1) last
        """);

    AuditVerification verification = audit.verify().await(10, TimeUnit.SECONDS);
    io.discs.testing.security.SecurityReport.record(
        "The audit chain can be rewritten by its owner",
        "as the table owner: disable the triggers, insert a row with a correctly chained hash",
        "/audit/verify: broken at that row (no seal)",
        verification.toJson().getBoolean("intact")
            ? "intact"
            : "broken: " + verification.toJson().getString("reason"));
    assertThat(verification.isIntact()).isFalse();
    assertThat(verification.getFirstBrokenId()).isEqualTo(1000L);
    assertThat(verification.toJson().getString("reason")).contains("no seal");
  }

  @Test
  @org.junit.jupiter.api.Tag("security")
  void theCheckpointNoticesRowsCutOffTheEnd(Vertx vertx) throws Exception {
    List<AuditEntry> entries = publish(6);
    long fourth = entries.get(2).getId();
    // A stop writes a checkpoint of the head (as the minute timer does while running).
    for (String id : vertx.deploymentIDs()) {
      vertx.undeploy(id).await(10, TimeUnit.SECONDS);
    }
    superuser(
        "ALTER TABLE audit.audit_events DISABLE TRIGGER USER",
        "ALTER TABLE audit.audit_seals DISABLE TRIGGER USER",
        "DELETE FROM audit.audit_events WHERE id > " + fourth,
        "DELETE FROM audit.audit_seals WHERE event_id > " + fourth);
    vertx.deployVerticle(new AuditVerticle(context)).await(30, TimeUnit.SECONDS);

    AuditVerification verification = audit.verify().await(10, TimeUnit.SECONDS);
    io.discs.testing.security.SecurityReport.record(
        "The audit chain can be rewritten by its owner",
        "as the table owner: delete the last rows and their seals (after a checkpoint)",
        "/audit/verify: the log no longer reaches the checkpoint",
        verification.toJson().getBoolean("intact")
            ? "intact"
            : "broken: rows were cut off its end");
    assertThat(verification.isIntact()).isFalse();
    assertThat(verification.toJson().getString("reason")).contains("cut off its end");
  }

  private List<AuditEntry> publish(int count) throws Exception {
    for (int i = 0; i < count; i++) {
      context
          .events()
          .publish(DomainEvent.of("login." + i, "alice", null, Outcome.SUCCESS, null, null));
    }
    return eventually(() -> audit.query(AuditQuery.of(null, null, null, null, 10)), count);
  }

  /** Statements as the database's owner would run them, one after another. */
  private void superuser(String... statements) throws Exception {
    Future<Void> done = Future.succeededFuture();
    for (String sql : statements) {
      done = done.compose(v -> context.pool().query(sql).execute().mapEmpty());
    }
    done.await(10, TimeUnit.SECONDS);
  }

  /**
   * Events are recorded asynchronously: poll until {@code count} rows are there or time runs out.
   */
  private static List<AuditEntry> eventually(
      java.util.function.Supplier<Future<List<AuditEntry>>> query, int count) throws Exception {
    try {
      return await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> query.get().await(10, TimeUnit.SECONDS), entries -> entries.size() >= count);
    } catch (org.awaitility.core.ConditionTimeoutException tooFew) {
      // What there is, for the assertion that then fails to show.
      return query.get().await(10, TimeUnit.SECONDS);
    }
  }
}
