package io.discs.platform.launch;

import io.discs.platform.cluster.CallerProofs;
import io.discs.platform.cluster.MemberCredentials;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.events.EventPublisher;
import io.discs.platform.metrics.Metrics;
import io.vertx.sqlclient.Pool;

/**
 * What a service verticle is built from; made once per process by its launcher.
 *
 * @param callers seals the callers this process vouches for and checks those it is sent
 * @param member this process's cluster credentials, made once before Vert.x starts (key generation
 *     and certificate signing stay off event loops); null without a cluster secret
 */
public record ServiceContext(
    DiscsConfig config,
    Pool pool,
    EventPublisher events,
    Metrics metrics,
    CallerProofs callers,
    MemberCredentials member) {}
