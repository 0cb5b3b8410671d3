package io.discs.platform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.Set;

/** One Prometheus registry per process, fed by the JVM binders and by Vert.x itself. */
public final class Metrics {
  private final PrometheusMeterRegistry registry;

  private Metrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * The request methods HTTP defines (RFC 9110, and PATCH): every other name a client sends is
   * counted as {@code OTHER}, or each would add its own series.
   */
  static final Set<String> HTTP_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  public static Metrics create() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry
        .config()
        .meterFilter(
            MeterFilter.replaceTagValues(
                Label.HTTP_METHOD.toString(),
                method -> HTTP_METHODS.contains(method) ? method : "OTHER"));
    // Buckets for the HTTP answer time, so that a dashboard can show p99 by route.
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                return id.getName().equals("vertx.http.server.response.time")
                    ? DistributionStatisticConfig.builder()
                        .percentilesHistogram(true)
                        .minimumExpectedValue(1e6)
                        .maximumExpectedValue(60e9)
                        .build()
                        .merge(config)
                    : config;
              }
            });
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return new Metrics(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public MicrometerMetricsFactory vertxFactory() {
    return new MicrometerMetricsFactory(registry);
  }

  /** Vert.x series: HTTP server (with the route label, off by default), event bus and pools. */
  public MicrometerMetricsOptions vertxOptions() {
    MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true);
    options.addLabels(
        Label.HTTP_ROUTE,
        Label.HTTP_METHOD,
        Label.HTTP_CODE,
        Label.EB_ADDRESS,
        Label.POOL_TYPE,
        Label.POOL_NAME);
    return options;
  }
}
