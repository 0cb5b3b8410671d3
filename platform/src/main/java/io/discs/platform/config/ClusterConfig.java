package io.discs.platform.config;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The launcher's slice: whether this node joins a Hazelcast cluster, and how (TCP-IP members, no
 * multicast); where an image node takes uploads from other nodes' gateways, and the secret that
 * lets them.
 *
 * @param internalListen null when this node has no internal listener
 * @param secret null when nodes meet only on the event bus
 */
public record ClusterConfig(
    boolean enabled,
    List<String> members,
    String name,
    String host,
    int port,
    HostPort internalListen,
    String secret) {
  /** Long enough not to be guessed: 32 characters of a password generator. */
  static final int MIN_SECRET_LENGTH = 32;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9.:\\[\\]-]{1,255}");

  public ClusterConfig {
    members = List.copyOf(members);
  }

  static ClusterConfig read(SettingReader in) {
    List<String> members =
        in.parse(
            Setting.CLUSTER_MEMBERS, in.string(Setting.CLUSTER_MEMBERS), ClusterConfig::members);
    String name = in.string(Setting.CLUSTER_NAME);
    if (!NAME.matcher(name).matches()) {
      throw SettingReader.invalid(Setting.CLUSTER_NAME, name);
    }
    HostPort internalListen = in.optional(Setting.INTERNAL_LISTEN, HostPort::parse).orElse(null);
    String secret = in.raw(Setting.CLUSTER_SECRET).orElse(null);
    if (secret != null && secret.length() < MIN_SECRET_LENGTH) {
      throw SettingReader.invalid(Setting.CLUSTER_SECRET, secret); // shown as (hidden)
    }
    if (internalListen != null && secret == null) {
      throw new ConfigException("DISCS_INTERNAL_LISTEN needs DISCS_CLUSTER_SECRET");
    }
    boolean enabled = in.bool(Setting.CLUSTER);
    if (enabled && secret == null) {
      // Members prove themselves with keys derived from it: without it, anyone could join.
      throw new ConfigException("DISCS_CLUSTER=true needs DISCS_CLUSTER_SECRET");
    }
    return new ClusterConfig(
        enabled,
        members,
        name,
        in.string(Setting.CLUSTER_HOST),
        in.integer(Setting.CLUSTER_PORT),
        internalListen,
        secret);
  }

  /**
   * The internal listener as other nodes reach it: a wildcard bind is reached at the node's host.
   */
  public HostPort advertisedInternalListen() {
    String bound = internalListen.host();
    boolean wildcard = bound.equals("0.0.0.0") || bound.equals("::");
    return wildcard ? new HostPort(host, internalListen.port()) : internalListen;
  }

  @Override
  public String toString() {
    return "ClusterConfig[enabled=%s, members=%s, name=%s, host=%s, port=%d, internalListen=%s, secret=%s]"
        .formatted(
            enabled, members, name, host, port, internalListen, secret == null ? "unset" : "(set)");
  }

  private static List<String> members(String text) {
    List<String> members =
        Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (members.isEmpty() || !members.stream().allMatch(m -> MEMBER.matcher(m).matches())) {
      throw new IllegalArgumentException("bad member list");
    }
    return members;
  }
}
