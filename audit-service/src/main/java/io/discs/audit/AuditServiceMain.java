package io.discs.audit;

import io.discs.platform.config.ServiceRole;
import io.discs.platform.launch.ServiceLauncher;

/** Runs audit-service as a process of its own in a cluster. */
public final class AuditServiceMain {
  private AuditServiceMain() {}

  public static void main(String[] args) {
    ServiceLauncher.run(ServiceRole.AUDIT, AuditVerticle::new);
  }
}
