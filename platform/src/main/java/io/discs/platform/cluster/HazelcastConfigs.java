package io.discs.platform.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.util.List;

/**
 * A Hazelcast configuration for discs: the cluster joins only the members it is told about
 * (TCP-IP), never by multicast or cloud auto-detection, and listens only on the address it is given
 * (Hazelcast binds every interface unless told not to).
 */
public final class HazelcastConfigs {
  private HazelcastConfigs() {}

  public static Config tcpIp(String clusterName, String host, int port, List<String> members) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(true).setPortCount(20);
    network.setPublicAddress(host);
    config.setProperty("hazelcast.socket.bind.any", "false");
    if (isAddressLiteral(host)) {
      network.getInterfaces().setEnabled(true).setInterfaces(List.of(host));
    } else {
      // A host name: Hazelcast binds the local address the name resolves to.
      network.getInterfaces().setEnabled(false);
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(List.copyOf(members));
    return config;
  }

  private static boolean isAddressLiteral(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }
}
