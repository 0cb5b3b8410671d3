package io.discs.gateway;

import io.discs.gateway.auth.AccessControl;
import io.discs.gateway.auth.Accounts;
import io.discs.gateway.auth.AdminBootstrap;
import io.discs.gateway.auth.AuthRoutes;
import io.discs.gateway.auth.LoginThrottle;
import io.discs.gateway.auth.PasswordHasher;
import io.discs.gateway.auth.SigningKeys;
import io.discs.gateway.auth.TokenRevocations;
import io.discs.gateway.auth.TokenService;
import io.discs.gateway.auth.UserStore;
import io.discs.gateway.images.UploadRequests;
import io.discs.platform.config.HostPort;
import io.discs.platform.config.ServiceRole;
import io.discs.platform.launch.ServiceContext;
import io.discs.transfer.tap.LentBytes;
import io.discs.transfer.tap.UploadBodyTap;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.ResponseTimeHandler;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP front door: operations routes, the OpenAPI document and {@code /api/v1}. */
public final class GatewayVerticle extends VerticleBase {
  private static final int IDLE_SLACK_SECONDS = 30;
  private long readinessTimer = -1;
  public static final String NAME = "gateway";
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private final ServiceContext services;
  private WorkerExecutor hashing;
  private HttpServer server;
  private HttpServer managementServer;

  public GatewayVerticle(ServiceContext services) {
    this.services = services;
  }

  @Override
  public Future<?> start() {
    hashing = vertx.createSharedWorkerExecutor("discs-password-hashing", 2);
    UserStore users = new UserStore(services.pool());
    var security = services.config().security();
    // Key files and the first (deliberately slow) hash are blocking work.
    return vertx
        .executeBlocking(
            () ->
                new Security(
                    SigningKeys.loadOrGenerate(security, services.config().dataDir()),
                    new PasswordHasher(),
                    OpenApiDocument.load(),
                    ConsoleFiles.load()),
            false)
        .compose(
            loaded ->
                AdminBootstrap.ensureAdmin(
                        users, loaded.hasher(), hashing, security, services.config().dataDir())
                    .map(loaded))
        .compose(
            loaded -> {
              TokenService tokens = new TokenService(vertx, loaded.keys(), security);
              TokenRevocations revocations =
                  new TokenRevocations(vertx, services.pool(), tokens.lifetimeMs());
              AccessControl access =
                  new AccessControl(tokens, revocations, services.events(), services.callers());
              LoginThrottle throttle =
                  new LoginThrottle(
                      vertx,
                      security.loginMaxFailures(),
                      security.loginLockSeconds(),
                      services.clock());
              AuthRoutes auth =
                  new AuthRoutes(
                      new Accounts(
                          vertx,
                          users,
                          tokens,
                          revocations,
                          throttle,
                          services.events(),
                          loaded.hasher(),
                          hashing));
              return revocations
                  .load()
                  .compose(
                      v ->
                          listen(
                              new ApiRoutes(
                                  vertx, services.config(), services.member(), access, auth),
                              loaded.openApi(),
                              loaded.console()));
            });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(readinessTimer);
    return hashing == null ? Future.succeededFuture() : hashing.close();
  }

  private record Security(
      SigningKeys keys, PasswordHasher hasher, Buffer openApi, ConsoleFiles console) {}

  /**
   * Readiness for /ready, and as the discs_ready gauge (1 ready, 0 not) checked every 15 s, so an
   * alert needs no prober of its own.
   */
  private Readiness readiness() {
    Readiness readiness = new Readiness(vertx, services.pool());
    AtomicInteger ready = new AtomicInteger();
    Gauge.builder("discs.ready", ready, AtomicInteger::get)
        .description("1 while the database and every service answer, else 0")
        .register(services.metrics().registry());
    readinessTimer =
        vertx.setPeriodic(
            1,
            15_000,
            id ->
                readiness
                    .check()
                    .onSuccess(
                        checks ->
                            ready.set(checks.values().stream().allMatch("UP"::equals) ? 1 : 0)));
    return readiness;
  }

  /** Every request: logged, its headers on a deadline, its client resolved, then the API. */
  private Router rootRouter(
      ApiRoutes api,
      Buffer openApi,
      ConsoleFiles console,
      HeaderDeadline headerDeadline,
      Readiness readiness) {
    var edge = services.config().edge();
    Router root = Router.router(vertx);
    root.route().handler(RequestLog::handle);
    root.route().handler(headerDeadline::arrived);
    root.route().handler(new ClientAddresses(edge.trustedProxies())::resolve);
    root.route().handler(SecurityHeaders::apply);
    root.route().handler(ResponseTimeHandler.create());
    if (edge.managementListen() == null) {
      OperationsRoutes.mount(root, readiness, services.metrics().registry(), runs());
    }
    root.get(ApiRoutes.BASE + "/openapi.yaml").handler(OpenApiDocument.handler(openApi));
    root.route(ApiRoutes.BASE + "/*").subRouter(api.router(vertx));
    root.route("/redfish*").subRouter(api.redfish(vertx));
    ConsoleRoutes.mount(root, console);
    Problems.handle(root);
    return root;
  }

  private HttpServerOptions serverOptions() {
    var edge = services.config().edge();
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(services.config().httpHost())
            .setPort(services.config().httpPort())
            .setMaxHeaderSize(16 * 1024)
            .setMaxInitialLineLength(8 * 1024)
            // Fewer, larger body chunks: uploads run at disk speed instead of event-loop speed.
            .setMaxChunkSize(64 * 1024)
            .setCompressionSupported(false)
            // HTTP/1.1 only: no clear-text HTTP/2 sniffing in front of the connection, whose
            // handover reports the connection closed to HeaderDeadline while it is still open.
            .setHttp2ClearTextEnabled(false)
            // A connection with no traffic at all (a stalled upload's watch fires first) is
            // closed; one that trickles its headers is HeaderDeadline's.
            .setIdleTimeout(services.config().uploads().idleSeconds() + IDLE_SLACK_SECONDS)
            .setIdleTimeoutUnit(TimeUnit.SECONDS);
    if (edge.tls()) {
      options
          .setSsl(true)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(edge.tlsCert().toString())
                  .setKeyPath(edge.tlsKey().toString()));
    }
    return options;
  }

  private Future<HttpServer> listen(ApiRoutes api, Buffer openApi, ConsoleFiles console) {
    var edge = services.config().edge();
    HeaderDeadline headerDeadline = new HeaderDeadline(vertx);
    UploadRequests uploads = new UploadRequests();
    LentBytes.of(vertx).registerIn(services.metrics().registry());
    Readiness readiness = readiness();
    Router root = rootRouter(api, openApi, console, headerDeadline, readiness);
    HttpServerOptions options = serverOptions();
    Future<HttpServer> serving =
        vertx
            .createHttpServer(options)
            .connectionHandler(
                connection -> {
                  headerDeadline.opened(connection);
                  UploadBodyTap.install(connection, uploads, LentBytes.of(vertx));
                })
            .requestHandler(root)
            .listen()
            .onSuccess(
                s -> {
                  server = s;
                  LOG.debug(
                      "gateway listening on {}:{}{}",
                      services.config().httpHost(),
                      s.actualPort(),
                      edge.tls() ? " (TLS)" : "");
                })
            .recover(
                failure ->
                    Future.failedFuture(
                        new IllegalStateException(
                            "the HTTP API cannot listen on "
                                + services.config().httpHost()
                                + ":"
                                + services.config().httpPort()
                                + " ("
                                + failure.getMessage()
                                + "); set DISCS_HTTP_PORT")));
    return edge.managementListen() == null
        ? serving
        : serving.compose(s -> listenManagement(edge.managementListen(), readiness).map(s));
  }

  /** /health, /ready and /metrics on an address of their own (an internal interface). */
  private Future<HttpServer> listenManagement(HostPort address, Readiness readiness) {
    Router management = Router.router(vertx);
    management.route().handler(SecurityHeaders::apply);
    OperationsRoutes.mount(management, readiness, services.metrics().registry(), runs());
    Problems.handle(management);
    return vertx
        .createHttpServer(new HttpServerOptions().setHost(address.host()).setPort(address.port()))
        .requestHandler(management)
        .listen()
        .onSuccess(
            s -> {
              managementServer = s;
              LOG.info("operations endpoints listening on {}", address);
            })
        .recover(
            failure ->
                Future.failedFuture(
                    new IllegalStateException(
                        "the operations endpoints cannot listen on "
                            + address
                            + " ("
                            + failure.getMessage()
                            + "); set DISCS_MANAGEMENT_LISTEN")));
  }

  /** The management listener's port, when there is one. */
  public int managementPort() {
    return managementServer == null ? -1 : managementServer.actualPort();
  }

  private List<String> runs() {
    return services.config().services().stream().map(ServiceRole::wireName).toList();
  }

  /** The port really bound, for callers that asked for port 0. */
  public int actualPort() {
    return server.actualPort();
  }
}
