package io.discs.platform.launch;

import io.discs.platform.config.ConfigException;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.tracing.TracingOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Distributed tracing: on when {@code OTEL_EXPORTER_OTLP_ENDPOINT} names a collector, then an HTTP
 * request, the event-bus messages it causes, the service handling them and its SQL are one trace,
 * sent over OTLP. Off otherwise, and then Vert.x gets no tracer at all, so it costs nothing.
 */
public sealed interface Tracing permits Tracing.Off, Tracing.On {

  /** No tracer. */
  record Off() implements Tracing {}

  /** Traces go to this OpenTelemetry (the OTLP one, or a test's in-memory one). */
  record On(OpenTelemetry openTelemetry) implements Tracing {}

  static Tracing off() {
    return new Off();
  }

  /**
   * The standard {@code OTEL_*} variables configure the exporter (endpoint, headers, sampler,
   * {@code OTEL_SERVICE_NAME}); discs only sets defaults: service name {@code discs}, OTLP over
   * HTTP (protobuf; the exporter is built on the JDK's HTTP client, which has no gRPC), and no
   * OpenTelemetry metrics or logs, since metrics are Prometheus's and logs are the log's.
   *
   * @throws ConfigException when the OTEL_* variables cannot make an exporter
   */
  static Tracing fromEnvironment(Map<String, String> environment) {
    String endpoint = environment.get("OTEL_EXPORTER_OTLP_ENDPOINT");
    if (endpoint == null || endpoint.isBlank()) {
      return off();
    }
    try {
      return new On(
          AutoConfiguredOpenTelemetrySdk.builder()
              .addPropertiesSupplier(() -> properties(environment))
              .build()
              .getOpenTelemetrySdk());
    } catch (ConfigurationException | IllegalStateException e) {
      String cause = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
      throw new ConfigException("OTEL_* tracing settings: " + cause);
    }
  }

  /** discs's defaults, then the {@code OTEL_*} variables given, as the SDK's property names. */
  private static Map<String, String> properties(Map<String, String> environment) {
    Map<String, String> properties = new HashMap<>();
    properties.put("otel.service.name", "discs");
    properties.put("otel.exporter.otlp.protocol", "http/protobuf");
    properties.put("otel.metrics.exporter", "none");
    properties.put("otel.logs.exporter", "none");
    environment.forEach(
        (name, value) -> {
          if (name.startsWith("OTEL_")) {
            properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value);
          }
        });
    return properties;
  }

  /** Gives the Vert.x being built a tracer when tracing is on. */
  default VertxBuilder applyTo(VertxOptions options, VertxBuilder builder) {
    if (this instanceof On on) {
      options.setTracingOptions(new TracingOptions());
      return builder.withTracer(new OpenTelemetryTracingFactory(on.openTelemetry()));
    }
    return builder;
  }
}
