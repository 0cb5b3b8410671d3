package io.discs.testing;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Test hosts as network namespaces: each has loopback and an {@code eth0} on one private /24,
 * joined by a bridge in a namespace of its own, so the hosts reach each other and nothing else
 * (this machine's own network never sees their addresses). Everything a host runs goes through
 * {@link Host#command}. Closing kills what still runs inside and removes the namespaces.
 */
public final class TestNetwork implements AutoCloseable {
  /** One test host. */
  public record Host(String name, String namespace, String address, String ip) {
    /** A command as it runs on this host. */
    public List<String> command(List<String> command) {
      List<String> full = new ArrayList<>(prefix());
      full.addAll(command);
      return full;
    }

    /** What every command on this host starts with. */
    public List<String> prefix() {
      return List.of(ip, "netns", "exec", namespace);
    }
  }

  private final String ip;
  private final String tag;
  private final String subnet;
  private final Map<String, Host> hosts = new LinkedHashMap<>();
  private final List<String> namespaces = new ArrayList<>();

  private TestNetwork(String ip, String tag, String subnet) {
    this.ip = ip;
    this.tag = tag;
    this.subnet = subnet;
  }

  /** Hosts by name, addressed .1, .2, … in the order given. Needs root and iproute2. */
  public static TestNetwork create(String... names) throws Exception {
    String ip = SystemTools.require("ip", "iproute2").toString();
    if (!"root".equals(System.getProperty("user.name"))) {
      String message = "network namespaces need root";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(message);
      }
      Assumptions.abort(message);
    }
    byte[] random = new byte[3];
    new SecureRandom().nextBytes(random);
    String tag = HexFormat.of().formatHex(random, 0, 2);
    // 10.200.0.0–10.249.255.0: private, and unlikely to be this machine's own.
    String subnet = "10." + (200 + (random[2] & 0xff) % 50) + "." + (random[0] & 0xff);
    TestNetwork network = new TestNetwork(ip, tag, subnet);
    try {
      network.build(names);
    } catch (Exception e) {
      network.close();
      throw e;
    }
    return network;
  }

  private void build(String... names) throws Exception {
    String bridgeSpace = addNamespace("sw");
    run(ip, "-n", bridgeSpace, "link", "add", "br0", "type", "bridge");
    run(ip, "-n", bridgeSpace, "link", "set", "br0", "up");
    for (int i = 0; i < names.length; i++) {
      String namespace = addNamespace(names[i]);
      String inside = "d" + tag + "h" + i;
      String outside = "d" + tag + "s" + i;
      run(ip, "link", "add", inside, "type", "veth", "peer", "name", outside);
      run(ip, "link", "set", inside, "netns", namespace);
      run(ip, "link", "set", outside, "netns", bridgeSpace);
      run(ip, "-n", namespace, "link", "set", inside, "name", "eth0");
      String address = subnet + "." + (i + 1);
      run(ip, "-n", namespace, "addr", "add", address + "/24", "dev", "eth0");
      run(ip, "-n", namespace, "link", "set", "eth0", "up");
      run(ip, "-n", bridgeSpace, "link", "set", outside, "master", "br0");
      run(ip, "-n", bridgeSpace, "link", "set", outside, "up");
      hosts.put(names[i], new Host(names[i], namespace, address, ip));
    }
  }

  private String addNamespace(String name) throws Exception {
    String namespace = "discs-" + tag + "-" + name;
    run(ip, "netns", "add", namespace);
    namespaces.add(namespace);
    run(ip, "-n", namespace, "link", "set", "lo", "up");
    return namespace;
  }

  public Host host(String name) {
    Host host = hosts.get(name);
    if (host == null) {
      throw new IllegalArgumentException("no host " + name);
    }
    return host;
  }

  @Override
  public void close() throws Exception {
    for (String namespace : namespaces) {
      Processes.Result pids = Processes.run(List.of(ip, "netns", "pids", namespace));
      for (String pid : pids.output().split("\\s+")) {
        if (pid.matches("\\d+")) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
      Processes.run(List.of(ip, "netns", "del", namespace));
    }
  }

  private static void run(String... command) throws Exception {
    Processes.check(List.of(command), Duration.ofSeconds(30));
  }
}
