package io.discs.session.impl;

import io.discs.platform.Addresses;
import io.discs.platform.launch.ServiceBindings;
import io.discs.platform.launch.ServiceContext;
import io.discs.platform.session.SessionService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** session-service's front door: binds {@link SessionService} on the event bus. */
public final class SessionVerticle extends VerticleBase {
  public static final String NAME = "session-service";

  private final ServiceContext context;

  public SessionVerticle(ServiceContext context) {
    this.context = context;
  }

  @Override
  public Future<?> start() {
    var repository = new SessionRepository(context.pool(), context.config().heartbeatSeconds());
    return ServiceBindings.bind(vertx, NAME, Addresses.SESSION_SERVICE, SessionService.class, new SessionServiceImpl(repository),
        context.pool());
  }
}
