package io.discs.targets;

import io.discs.platform.config.ServiceRole;
import io.discs.platform.launch.ServiceLauncher;

/** Runs target-service as a process of its own, one per storage node. */
public final class TargetServiceMain {
  private TargetServiceMain() {}

  public static void main(String[] args) {
    ServiceLauncher.run(ServiceRole.TARGETS, TargetVerticle::new);
  }
}
