package io.discs.platform;

/**
 * Every event-bus address discs uses, in one place so that services and callers cannot drift apart.
 */
public final class Addresses {
  public static final String IMAGE_SERVICE = "discs.image-service";
  public static final String TARGET_SERVICE = "discs.target-service";
  public static final String SESSION_SERVICE = "discs.session-service";
  public static final String AUDIT_SERVICE = "discs.audit-service";

  /**
   * Image nodes with an internal listener answer here with its {@code host:port}; with several, the
   * bus spreads the asks (and so the uploads) among them.
   */
  public static final String IMAGE_INTERNAL_LISTENER = "discs.images.internal-listener";

  /**
   * The cluster map of live internal listeners ({@code host:port}, each entry kept for a few
   * seconds and renewed while its node lives), for calls that should reach the same node each time.
   */
  public static final String IMAGE_LISTENERS_MAP = "discs.images.listeners";

  /**
   * Target nodes publish their presence here every few seconds ({@link
   * io.discs.platform.targets.NodePresence}); session-service places sessions and notices lost
   * nodes by it.
   */
  public static final String TARGET_NODES = "discs.targets.nodes";

  /** Domain events are published here, never sent: any number of consumers may listen. */
  public static final String EVENTS = "discs.events";

  /**
   * Each service answers a ping here once it can do its job; the gateway's readiness asks them all.
   */
  public static String health(String service) {
    return "discs.health." + service;
  }

  /**
   * One target node's own {@link io.discs.platform.targets.TargetService}: a session's target is
   * made and removed on the node that serves it, which the shared address would not choose.
   */
  public static String targetNode(String node) {
    return TARGET_SERVICE + ".node." + node;
  }

  private Addresses() {}
}
