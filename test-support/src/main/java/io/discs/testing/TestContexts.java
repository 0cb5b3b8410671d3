package io.discs.testing;

import io.discs.platform.cluster.CallerProofs;
import io.discs.platform.cluster.MemberCredentials;
import io.discs.platform.config.DatabaseUrl;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.db.Database;
import io.discs.platform.events.EventPublisher;
import io.discs.platform.launch.ServiceContext;
import io.discs.platform.metrics.Metrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** A {@link ServiceContext} on a fresh, migrated database, as a launcher would build it. */
public final class TestContexts {
  private TestContexts() {}

  public static Future<ServiceContext> fresh(Vertx vertx) {
    return fresh(vertx, Map.of());
  }

  /**
   * {@code settings} are DISCS_* variables layered over test defaults (a free HTTP port, loopback
   * portal).
   */
  public static Future<ServiceContext> fresh(Vertx vertx, Map<String, String> settings) {
    DatabaseUrl url = TestDatabase.freshDatabase();
    Map<String, String> values = new HashMap<>();
    values.put("DISCS_HTTP_PORT", String.valueOf(FreePorts.next()));
    values.put("DISCS_HTTP_HOST", "127.0.0.1");
    int iscsiPort = FreePorts.next();
    values.put("DISCS_ISCSI_PORTAL", "127.0.0.1:" + iscsiPort);
    values.put("DISCS_ISCSI_LISTEN", "127.0.0.1:" + iscsiPort);
    values.put("DISCS_DATA_DIR", TempDirs.create("discs-data").toString());
    values.putAll(settings);
    DiscsConfig config = DiscsConfig.from(values).withDatabase(url);
    return Database.migrate(vertx, url)
        .map(
            v ->
                new ServiceContext(
                    config,
                    Database.pool(vertx, url, 4),
                    new EventPublisher(vertx.eventBus()),
                    Metrics.create(),
                    CallerProofs.of(vertx, config.cluster(), Clock.systemUTC()),
                    MemberCredentials.of(config.cluster()),
                    Clock.systemUTC()));
  }
}
