package io.discs.platform.config;

import java.time.Duration;

/**
 * How long each layer waits for the one beneath it, all derived from the API's request deadline
 * ({@code DISCS_REQUEST_TIMEOUT_SECONDS}) so that every caller waits longer than its callee: the
 * HTTP request (100 %) &gt; the gateway's service calls (90 %) &gt; session-service's calls to
 * target-service (80 %) &gt; the target node's own limit on making a target (70 %). A slow step is
 * cut where it runs, and undone there, before anyone above gives up on it: the person gets the
 * reason, and no session or target is left half made.
 */
public record CallDeadlines(Duration request) {

  public static CallDeadlines of(int requestTimeoutSeconds) {
    return new CallDeadlines(Duration.ofSeconds(requestTimeoutSeconds));
  }

  /** The gateway's calls to every service. */
  public Duration gatewayToServices() {
    return share(90);
  }

  /** session-service's calls to target-service (and to image-service while starting a session). */
  public Duration sessionToTargets() {
    return share(80);
  }

  /** What a target node allows itself to make a target, fetching the image included. */
  public Duration targetCreation() {
    return share(70);
  }

  private Duration share(int percent) {
    return request.multipliedBy(percent).dividedBy(100);
  }
}
