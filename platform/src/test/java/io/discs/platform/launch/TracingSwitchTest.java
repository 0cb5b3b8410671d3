package io.discs.platform.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.discs.platform.config.ConfigException;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingSwitchTest {

  @Test
  void withoutAnEndpointVertxGetsNoTracerAtAll() {
    Tracing tracing = Tracing.fromEnvironment(Map.of("OTEL_SERVICE_NAME", "x"));
    assertThat(tracing).isInstanceOf(Tracing.Off.class);
    VertxOptions options = new VertxOptions();
    var builder = Vertx.builder().with(options);
    assertThat(tracing.applyTo(options, builder)).isSameAs(builder);
    assertThat(options.getTracingOptions()).isNull();
  }

  @Test
  void anEndpointTurnsOnAnOtlpExporterNamedDiscs() {
    Tracing tracing =
        Tracing.fromEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9"));
    assertThat(tracing).isInstanceOf(Tracing.On.class);
    OpenTelemetrySdk sdk = (OpenTelemetrySdk) ((Tracing.On) tracing).openTelemetry();
    try {
      assertThat(sdk.getSdkTracerProvider().toString()).contains("service.name=\"discs\"");
      VertxOptions options = new VertxOptions();
      tracing.applyTo(options, Vertx.builder().with(options));
      assertThat(options.getTracingOptions()).isNotNull();
    } finally {
      sdk.close();
    }
  }

  @Test
  void settingsNoExporterCanUseAreOneLineAtStart() {
    assertThatThrownBy(
            () ->
                Tracing.fromEnvironment(
                    Map.of(
                        "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9",
                        "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("OTEL_* tracing settings: ");
  }
}
