package io.discs.gateway;

import io.discs.platform.config.ServiceRole;
import io.discs.platform.launch.ServiceLauncher;

/** Runs a gateway as a process of its own in a cluster; run as many as the load balancer needs. */
public final class GatewayMain {
  private GatewayMain() {}

  public static void main(String[] args) {
    ServiceLauncher.run(ServiceRole.GATEWAY, GatewayVerticle::new);
  }
}
