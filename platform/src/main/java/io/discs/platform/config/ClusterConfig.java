package io.discs.platform.config;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The launcher's slice: whether this node joins a Hazelcast cluster, and how (TCP-IP members, no
 * multicast).
 */
public record ClusterConfig(
    boolean enabled, List<String> members, String name, String host, int port) {
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
    return new ClusterConfig(
        in.bool(Setting.CLUSTER),
        members,
        name,
        in.string(Setting.CLUSTER_HOST),
        in.integer(Setting.CLUSTER_PORT));
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
