package io.discs.platform.cluster;

import io.discs.platform.config.ClusterConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;

/**
 * What a node shows other nodes to prove it is a member, all of it from the cluster secret: a TLS
 * certificate of the cluster's CA (mutual TLS on the event bus and between gateways and internal
 * listeners) and, inside that TLS, a proof derived for internal listeners. The secret itself never
 * crosses the network.
 *
 * @param listenerProof what an internal listener asks for in {@code X-Discs-Cluster-Proof}
 */
public record MemberCredentials(String listenerProof, ClusterCertificates certificates) {

  /** A member's credentials, or null when the cluster has no secret (one JVM, no cluster). */
  public static MemberCredentials of(ClusterConfig cluster) {
    if (cluster.secret() == null) {
      return null;
    }
    ClusterKeys keys = ClusterKeys.fromSecret(cluster.secret());
    return new MemberCredentials(keys.internalListenerProof(), ClusterCertificates.issue(keys));
  }

  /**
   * The event bus speaks TLS and takes only members, both ways. Vert.x's event bus trusts every
   * server certificate unless told otherwise ({@code EventBusOptions.DEFAULT_TRUST_ALL}): a member
   * would then send to any host that registered a consumer.
   */
  public EventBusOptions secure(EventBusOptions options) {
    return options
        .setSsl(true)
        .setTrustAll(false)
        .setKeyCertOptions(certificates.keyCertOptions())
        .setTrustOptions(certificates.trustOptions())
        .setClientAuth(ClientAuth.REQUIRED);
  }

  /** An internal listener speaks TLS and takes only members' connections. */
  public HttpServerOptions secure(HttpServerOptions options) {
    return options
        .setSsl(true)
        .setKeyCertOptions(certificates.keyCertOptions())
        .setTrustOptions(certificates.trustOptions())
        .setClientAuth(ClientAuth.REQUIRED);
  }

  /**
   * A client of internal listeners shows its certificate and believes only a member's; the host
   * name is not checked, since a member is whoever holds a certificate of the cluster's CA.
   */
  public HttpClientOptions secure(HttpClientOptions options) {
    return options
        .setSsl(true)
        .setKeyCertOptions(certificates.keyCertOptions())
        .setTrustOptions(certificates.trustOptions())
        .setVerifyHost(false);
  }
}
