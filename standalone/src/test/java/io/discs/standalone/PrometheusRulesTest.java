package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.testing.Processes;
import io.discs.testing.SystemTools;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * infra/prometheus is valid for promtool, and every metric its alerts use is one a running system
 * serves: an alert on a renamed metric would never fire.
 */
class PrometheusRulesTest {
  private static final Path PROMETHEUS = Path.of("..", "infra", "prometheus");
  private static final Pattern METRIC = Pattern.compile("\\b((?:discs|vertx)_[a-z_]+)");

  /** Counted per backend operation on its first failure; no test here makes a backend fail. */
  private static final Set<String> FIRST_FAILURE_ONLY =
      Set.of("discs_iscsi_backend_failures_total");

  @Test
  void promtoolAcceptsTheConfigurationAndTheRules() throws Exception {
    String promtool = SystemTools.require("promtool", "prometheus").toString();
    Processes.Result config =
        Processes.run(
            List.of(promtool, "check", "config", PROMETHEUS.resolve("prometheus.yml").toString()),
            Duration.ofMinutes(1));
    assertThat(config.exitCode()).as(config.output()).isZero();
    Processes.Result rules =
        Processes.run(
            List.of(promtool, "check", "rules", PROMETHEUS.resolve("alerts.yml").toString()),
            Duration.ofMinutes(1));
    assertThat(rules.exitCode()).as(rules.output()).isZero();
    Processes.Result tests =
        Processes.run(
            List.of(promtool, "test", "rules", PROMETHEUS.resolve("alerts_test.yml").toString()),
            Duration.ofMinutes(1));
    assertThat(tests.exitCode()).as(tests.output()).isZero();
  }

  @Test
  void everyAlertHasAUnitTest() throws Exception {
    Set<String> alerts = names(Pattern.compile("- alert: (\\w+)"), "alerts.yml");
    Set<String> tested = names(Pattern.compile("alertname: (\\w+)"), "alerts_test.yml");
    assertThat(alerts).hasSizeGreaterThan(5);
    assertThat(tested).containsAll(alerts);
  }

  private static Set<String> names(Pattern pattern, String file) throws Exception {
    Set<String> names = new TreeSet<>();
    Matcher matcher = pattern.matcher(Files.readString(PROMETHEUS.resolve(file)));
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  @Test
  void everyMetricTheAlertsUseIsServed() throws Exception {
    Set<String> used = new TreeSet<>();
    Matcher matcher = METRIC.matcher(Files.readString(PROMETHEUS.resolve("alerts.yml")));
    while (matcher.find()) {
      used.add(matcher.group(1));
    }
    assertThat(used).contains("discs_ready", "discs_image_store_usable_bytes");

    try (TestSystem system = TestSystem.start(Map.of())) {
      String admin = system.adminToken();
      // Counters that appear with their first event: one rejected upload, one failed iSCSI login.
      system
          .client
          .post("/api/v1/images")
          .addQueryParam("name", "not-a-disc.iso")
          .bearerTokenAuthentication(admin)
          .sendBuffer(Buffer.buffer(new byte[70_000]))
          .await(30, TimeUnit.SECONDS);
      try (RawInitiator stranger =
          new RawInitiator(
              "127.0.0.1",
              system.config.targets().listen().port(),
              "iqn.2026-01.test.discs:nobody")) {
        stranger.loginWithChap("iqn.2026-01.io.discs:no.such.target", "user", "secret-secret-1");
      }
      // Some are counted after the answer went out: until every one is served.
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                String scraped =
                    system.client.get("/metrics").send().await(10, TimeUnit.SECONDS).bodyAsString();
                for (String metric : used) {
                  if (FIRST_FAILURE_ONLY.contains(metric)) {
                    continue;
                  }
                  assertThat(scraped)
                      .as("served: %s", metric)
                      .containsPattern("(?m)^" + metric + "[{ ]");
                }
              });
    }
  }
}
