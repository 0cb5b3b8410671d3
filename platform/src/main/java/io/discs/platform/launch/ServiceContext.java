package io.discs.platform.launch;

import io.discs.platform.cluster.CallerProofs;
import io.discs.platform.cluster.MemberCredentials;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.events.EventPublisher;
import io.discs.platform.metrics.Metrics;
import io.vertx.sqlclient.Pool;
import java.time.Clock;

/**
 * What a service verticle is built from; made once per process by its launcher.
 *
 * @param callers seals the callers this process vouches for and checks those it is sent
 * @param member this process's cluster credentials, made once before Vert.x starts (key generation
 *     and certificate signing stay off event loops); null without a cluster secret
 * @param clock the time leases, locks and expiries are measured in (the system's, or a test's)
 */
public record ServiceContext(
    DiscsConfig config,
    Pool pool,
    EventPublisher events,
    Metrics metrics,
    CallerProofs callers,
    MemberCredentials member,
    Clock clock) {

  /** The same context on another clock (a test's). */
  public ServiceContext withClock(Clock other) {
    return new ServiceContext(config, pool, events, metrics, callers, member, other);
  }
}
