package io.discs.gateway;

import io.discs.platform.config.HostPort;
import io.discs.platform.config.ServiceRole;
import io.discs.platform.launch.ServiceContext;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * For a process that runs services but not the gateway: {@code /health}, {@code /ready} and {@code
 * /metrics} on the HTTP port, so that orchestrators and Prometheus see it like any other node.
 */
public final class OperationsServer {
  private OperationsServer() {}

  public static Future<HttpServer> start(Vertx vertx, ServiceContext services) {
    Router router = Router.router(vertx);
    router.route().handler(SecurityHeaders::apply);
    OperationsRoutes.mount(
        router,
        new Readiness(vertx, services.pool()),
        services.metrics().registry(),
        services.config().services().stream().map(ServiceRole::wireName).toList());
    Problems.handle(router);
    // Where a gateway would put them too: DISCS_MANAGEMENT_LISTEN when set, else the API's port.
    HostPort management = services.config().edge().managementListen();
    return vertx
        .createHttpServer(
            new HttpServerOptions()
                .setHost(management == null ? services.config().httpHost() : management.host())
                .setPort(management == null ? services.config().httpPort() : management.port()))
        .requestHandler(router)
        .listen();
  }
}
