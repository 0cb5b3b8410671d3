package io.discs.targets.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code tgtadm --mode target --op show}: targets, their LUNs, accounts, ACLs and nexuses.
 */
final class TgtShow {
  private static final Pattern TARGET = Pattern.compile("^Target (\\d+): (\\S+)$");
  private static final Pattern SECTION = Pattern.compile("^    (\\S.*):$");

  record Lun(int number, String type, boolean readOnly, String backingPath) {}

  record Target(
      int tid,
      String iqn,
      List<Lun> luns,
      List<String> accounts,
      List<String> outgoingAccounts,
      List<String> acls,
      List<InitiatorSession> nexuses) {}

  private TgtShow() {}

  static List<Target> parse(String output) {
    List<Target> targets = new ArrayList<>();
    Builder current = null;
    String section = "";
    LunBuilder lun = null;
    String initiator = null;
    for (String line : output.split("\n")) {
      Matcher target = TARGET.matcher(line);
      if (target.matches()) {
        if (current != null) {
          targets.add(current.build(lun));
        }
        current = new Builder(Integer.parseInt(target.group(1)), target.group(2));
        lun = null;
        section = "";
        continue;
      }
      if (current == null) {
        continue;
      }
      Matcher sectionMatch = SECTION.matcher(line);
      if (sectionMatch.matches()) {
        section = sectionMatch.group(1);
        continue;
      }
      String text = line.strip();
      switch (section) {
        case "LUN information" -> {
          if (text.startsWith("LUN: ")) {
            if (lun != null) {
              current.luns.add(lun.build());
            }
            lun = new LunBuilder(Integer.parseInt(text.substring(5).trim()));
          } else if (lun != null) {
            lun.read(text);
          }
        }
        case "Account information" -> {
          if (text.endsWith(" (outgoing)")) {
            current.outgoing.add(text.substring(0, text.length() - " (outgoing)".length()));
          } else if (!text.isEmpty()) {
            current.accounts.add(text);
          }
        }
        case "ACL information" -> {
          if (!text.isEmpty()) {
            current.acls.add(text);
          }
        }
        case "I_T nexus information" -> {
          if (text.startsWith("Initiator: ")) {
            initiator = text.substring("Initiator: ".length()).split(" ")[0];
          } else if (text.startsWith("IP Address: ") && initiator != null) {
            current.nexuses.add(
                new InitiatorSession(initiator, text.substring("IP Address: ".length())));
          }
        }
        default -> {
          // System information and anything newer tgt prints: not needed.
        }
      }
    }
    if (current != null) {
      targets.add(current.build(lun));
    }
    refuseForgeries(targets);
    return targets;
  }

  /**
   * tgtadm prints what initiators say about themselves (an InitiatorAlias) as it is, so a newline
   * in an alias can start a line that reads like "Target 1: iqn…". tgtd itself never shows a tid or
   * a target name twice: when the output does, it cannot be trusted, and nothing is decided on it
   * (the reconciler deletes by tid).
   */
  private static void refuseForgeries(List<Target> targets) {
    java.util.Set<Integer> tids = new java.util.HashSet<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Target target : targets) {
      if (!tids.add(target.tid()) || !names.add(target.iqn())) {
        throw new IllegalStateException(
            "tgtadm's target list names tid "
                + target.tid()
                + " or "
                + target.iqn()
                + " twice: an initiator's alias may be posing as a target; not trusted");
      }
    }
  }

  static Optional<Target> find(List<Target> targets, String iqn) {
    return targets.stream().filter(t -> t.iqn().equals(iqn)).findFirst();
  }

  private static final class Builder {
    private final int tid;
    private final String iqn;
    private final List<Lun> luns = new ArrayList<>();
    private final List<String> accounts = new ArrayList<>();
    private final List<String> outgoing = new ArrayList<>();
    private final List<String> acls = new ArrayList<>();
    private final List<InitiatorSession> nexuses = new ArrayList<>();

    Builder(int tid, String iqn) {
      this.tid = tid;
      this.iqn = iqn;
    }

    Target build(LunBuilder pending) {
      if (pending != null) {
        luns.add(pending.build());
      }
      return new Target(
          tid,
          iqn,
          List.copyOf(luns),
          List.copyOf(accounts),
          List.copyOf(outgoing),
          List.copyOf(acls),
          List.copyOf(nexuses));
    }
  }

  private static final class LunBuilder {
    private final int number;
    private String type = "";
    private boolean readOnly;
    private String path = "";

    LunBuilder(int number) {
      this.number = number;
    }

    void read(String text) {
      if (text.startsWith("Type: ")) {
        type = text.substring(6);
      } else if (text.startsWith("Readonly: ")) {
        readOnly = text.endsWith("Yes");
      } else if (text.startsWith("Backing store path: ")) {
        path = text.substring("Backing store path: ".length());
      }
    }

    Lun build() {
      return new Lun(number, type, readOnly, path);
    }
  }
}
