package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.platform.launch.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With tracing on, one API call is one trace: the gateway's HTTP span, the event-bus message to the
 * service, and the service's SQL. An in-memory exporter stands where OTLP would be.
 */
class TracingTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private TestSystem system;

  @AfterEach
  void stop() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void oneRequestIsOneTraceAcrossGatewayEventBusServiceAndSql() throws Exception {
    OpenTelemetrySdk openTelemetry =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    system = TestSystem.start(Map.of(), new Tracing.On(openTelemetry));
    String token = system.adminToken();

    var response = system.get("/api/v1/images/00000000-0000-4000-8000-000000000001", token);
    assertThat(response.statusCode()).isEqualTo(404);

    List<SpanData> trace = awaitTraceOf("/api/v1/images/");
    String shape =
        trace.stream()
            .map(s -> s.getKind() + " " + s.getName() + " " + s.getAttributes().asMap())
            .collect(Collectors.joining("\n"));
    SpanData http =
        only(
            trace,
            "the gateway's HTTP span",
            s ->
                s.getKind() == SpanKind.SERVER
                    && "GET".equals(attribute(s, "http.request.method")));
    SpanData call =
        only(
            trace,
            "the proxy call to image-service",
            s ->
                s.getKind() == SpanKind.CLIENT
                    && "discs.image-service".equals(attribute(s, "messaging.destination.name")));
    SpanData served =
        only(
            trace,
            "image-service receiving it",
            s ->
                s.getKind() == SpanKind.SERVER
                    && "discs.image-service".equals(attribute(s, "messaging.destination.name")));
    SpanData sql =
        only(trace, "image-service's SQL", s -> "postgresql".equals(attribute(s, "db.system")));
    assertThat(call.getParentSpanId()).as(shape).isEqualTo(http.getSpanId());
    assertThat(served.getParentSpanId()).as(shape).isEqualTo(call.getSpanId());
    assertThat(sql.getParentSpanId()).as(shape).isEqualTo(served.getSpanId());
    assertThat(attribute(sql, "db.query.text")).contains("FROM images.images");
  }

  private static SpanData only(List<SpanData> trace, String what, Predicate<SpanData> test) {
    List<SpanData> found = trace.stream().filter(test).toList();
    assertThat(found).as(what).hasSize(1);
    return found.get(0);
  }

  private static String attribute(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.stringKey(key));
  }

  /** The spans of the trace whose server span served {@code path}, once its SQL span is in. */
  private List<SpanData> awaitTraceOf(String path) {
    try {
      return await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> traceOf(path), trace -> trace.size() >= 4);
    } catch (org.awaitility.core.ConditionTimeoutException incomplete) {
      // Every span there is, so that the assertion that fails shows what came.
      return exporter.getFinishedSpanItems();
    }
  }

  private List<SpanData> traceOf(String path) {
    List<SpanData> spans = exporter.getFinishedSpanItems();
    return spans.stream()
        .filter(s -> s.getKind().name().equals("SERVER"))
        .filter(s -> s.getAttributes().toString().contains(path))
        .map(SpanData::getTraceId)
        .findFirst()
        .map(id -> spans.stream().filter(s -> s.getTraceId().equals(id)).toList())
        .orElse(List.of());
  }
}
