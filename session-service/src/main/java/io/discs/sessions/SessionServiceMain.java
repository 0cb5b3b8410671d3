package io.discs.sessions;

import io.discs.platform.config.ServiceRole;
import io.discs.platform.launch.ServiceLauncher;

/** Runs session-service as a process of its own in a cluster. */
public final class SessionServiceMain {
  private SessionServiceMain() {}

  public static void main(String[] args) {
    ServiceLauncher.run(ServiceRole.SESSIONS, SessionVerticle::new);
  }
}
