package io.discs.gateway;

import io.discs.platform.error.HttpStatus;
import io.discs.platform.error.Problem;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.List;

/**
 * {@code /health}, {@code /ready} and {@code /metrics}: for orchestrators and Prometheus, no token.
 */
final class OperationsRoutes {
  private OperationsRoutes() {}

  /**
   * @param runs the services this process runs, named in /ready's answer beside the checks (which
   *     say which of all of them answer, here or elsewhere in the cluster)
   */
  static void mount(
      Router router, Readiness readiness, PrometheusMeterRegistry registry, List<String> runs) {
    router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
    router
        .get("/ready")
        .handler(
            ctx ->
                readiness
                    .check()
                    .onSuccess(
                        checks -> {
                          boolean up = checks.values().stream().allMatch("UP"::equals);
                          JsonObject details = new JsonObject();
                          checks.forEach(details::put);
                          if (up) {
                            ctx.json(
                                new JsonObject()
                                    .put("status", "UP")
                                    .put("runs", new JsonArray(runs))
                                    .put("checks", details));
                          } else {
                            JsonObject problem =
                                Problem.of(
                                        HttpStatus.SERVICE_UNAVAILABLE,
                                        "not ready: "
                                            + String.join(
                                                ", ",
                                                checks.entrySet().stream()
                                                    .filter(e -> !"UP".equals(e.getValue()))
                                                    .map(java.util.Map.Entry::getKey)
                                                    .toList())
                                            + " not answering")
                                    .toJson()
                                    .put("runs", new JsonArray(runs))
                                    .put("checks", details);
                            ctx.response()
                                .setStatusCode(HttpStatus.SERVICE_UNAVAILABLE)
                                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                                .end(problem.encode());
                          }
                        }));
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
  }
}
