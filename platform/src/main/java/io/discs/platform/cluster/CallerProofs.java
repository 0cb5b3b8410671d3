package io.discs.platform.cluster;

import io.discs.platform.Caller;
import io.discs.platform.config.ClusterConfig;
import io.discs.platform.error.HttpStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.serviceproxy.ServiceException;
import io.vertx.serviceproxy.ServiceInterceptor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * Seals and checks the {@link Caller} that travels with a service call: an HMAC-SHA256 over who,
 * their roles, their address and an expiry, keyed by the cluster's caller key ({@link ClusterKeys};
 * in one JVM, a random key of that Vert.x). The gateway seals the caller it authenticated from a
 * token; services refuse a call whose caller is not sealed or whose seal has expired or does not
 * match, so a message on the bus cannot claim to be anyone it was not proven to be. The seal lasts
 * long enough for the slowest chain of calls (a session start waits for a target).
 */
public final class CallerProofs {
  public static final Duration LIFETIME = Duration.ofMinutes(5);

  /** Nodes' clocks differ a little: an expiry this far past still holds. */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  /** The refusal's code, as an HTTP status: the caller was not proven. */
  public static final int NOT_PROVEN = HttpStatus.UNAUTHORIZED;

  private static final String LOCAL_MAP = "discs.cluster";
  private static final String LOCAL_KEY = "caller-proof-key";

  private final byte[] key;
  private final Clock clock;

  CallerProofs(byte[] key, Clock clock) {
    this.key = key.clone();
    this.clock = clock;
  }

  /**
   * The process's proofs: from the cluster secret on a cluster, else from a key kept in this
   * Vert.x's local shared data, made by whichever service asks first.
   */
  public static CallerProofs of(Vertx vertx, ClusterConfig cluster, Clock clock) {
    if (cluster.enabled()) {
      return new CallerProofs(
          ClusterKeys.fromSecret(cluster.secret()).derive("caller proof key", 32), clock);
    }
    LocalMap<String, Buffer> map = vertx.sharedData().getLocalMap(LOCAL_MAP);
    byte[] fresh = new byte[32];
    new SecureRandom().nextBytes(fresh);
    Buffer kept = map.putIfAbsent(LOCAL_KEY, Buffer.buffer(fresh));
    return new CallerProofs(kept == null ? fresh : kept.getBytes(), clock);
  }

  /** A copy of {@code caller} sealed until {@link #LIFETIME} from now. */
  public Caller seal(Caller caller) {
    Caller sealed =
        new Caller(caller.getUsername(), caller.getRoles(), caller.getSourceIp())
            .setExpiresAt(clock.millis() + LIFETIME.toMillis());
    return sealed.setProof(proof(sealed));
  }

  /** Whether {@code caller} carries a seal of this cluster that has not expired. */
  public boolean holds(Caller caller) {
    if (caller == null || caller.getProof() == null || caller.getExpiresAt() == null) {
      return false;
    }
    if (caller.getExpiresAt() + CLOCK_SKEW.toMillis() < clock.millis()) {
      return false;
    }
    return MessageDigest.isEqual(
        caller.getProof().getBytes(StandardCharsets.US_ASCII),
        proof(caller).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * For a service's binder: a call whose arguments hold a caller is refused ({@link #NOT_PROVEN})
   * unless its seal holds.
   */
  public ServiceInterceptor interceptor() {
    return (vertx, context, message) -> check(message);
  }

  private Future<Message<JsonObject>> check(Message<JsonObject> message) {
    JsonObject arguments = message.body();
    if (arguments == null || !arguments.containsKey("caller")) {
      return Future.succeededFuture(message);
    }
    Object caller = arguments.getValue("caller");
    if (caller instanceof JsonObject json && holds(new Caller(json))) {
      return Future.succeededFuture(message);
    }
    return Future.failedFuture(
        new ServiceException(NOT_PROVEN, "the caller of this call is not proven"));
  }

  private String proof(Caller caller) {
    String canonical =
        new JsonArray()
            .add(caller.getUsername())
            .add(new JsonArray(caller.getRoles()))
            .add(caller.getSourceIp())
            .add(caller.getExpiresAt())
            .encode();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(ClusterKeys.hmac(key, canonical.getBytes(StandardCharsets.UTF_8)));
  }
}
