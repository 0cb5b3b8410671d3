package io.discs.targets.embedded.iscsi;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Operational text keys (RFC 7143 section 13) as a table: each key this target negotiates, with the
 * rule the RFC gives it, this target's value and the range allowed. {@link #answer} applies the
 * table to what an initiator offered and remembers the outcome the connection needs. Numbers
 * outside their range are clamped to it, as tgt does, rather than refused.
 */
final class OperationalKeys {
  static final int OUR_MAX_RECV = 262_144;

  /** How a key's outcome follows from the two sides' values. */
  enum Rule {
    /** The initiator's first choice that this target also offers. */
    LIST,
    /** The lower of the two numbers. */
    MIN,
    /** The higher of the two numbers. */
    MAX,
    /** Yes only if both say Yes. */
    AND,
    /** Yes if either says Yes. */
    OR,
    /** Each side declares its own value; ours is answered, theirs kept. */
    DECLARE
  }

  record Key(String name, Rule rule, String ours, long low, long high) {
    static Key list(String name, String ours) {
      return new Key(name, Rule.LIST, ours, 0, 0);
    }

    static Key number(String name, Rule rule, long ours, long low, long high) {
      return new Key(name, rule, String.valueOf(ours), low, high);
    }

    static Key bool(String name, Rule rule, boolean ours) {
      return new Key(name, rule, ours ? "Yes" : "No", 0, 0);
    }
  }

  static final List<Key> TABLE =
      List.of(
          Key.list("HeaderDigest", "CRC32C,None"),
          Key.list("DataDigest", "CRC32C,None"),
          Key.number("MaxConnections", Rule.MIN, 1, 1, 65_535),
          Key.bool("InitialR2T", Rule.OR, true),
          Key.bool("ImmediateData", Rule.AND, true),
          Key.number("MaxRecvDataSegmentLength", Rule.DECLARE, OUR_MAX_RECV, 512, 16_777_215),
          Key.number("MaxBurstLength", Rule.MIN, 16_776_192, 512, 16_777_215),
          Key.number("FirstBurstLength", Rule.MIN, 65_536, 512, 16_777_215),
          Key.number("DefaultTime2Wait", Rule.MAX, 2, 0, 3600),
          Key.number("DefaultTime2Retain", Rule.MIN, 20, 0, 3600),
          Key.number("MaxOutstandingR2T", Rule.MIN, 1, 1, 65_535),
          Key.bool("DataPDUInOrder", Rule.OR, true),
          Key.bool("DataSequenceInOrder", Rule.OR, true),
          Key.number("ErrorRecoveryLevel", Rule.MIN, 0, 0, 2),
          Key.bool("IFMarker", Rule.AND, false),
          Key.bool("OFMarker", Rule.AND, false));

  /** Keys of the login itself, which the security stage and the first request handle. */
  private static final List<String> LOGIN_KEYS =
      List.of("InitiatorName", "InitiatorAlias", "SessionType", "TargetName", "AuthMethod");

  private static final Map<String, Key> BY_NAME =
      TABLE.stream().collect(Collectors.toUnmodifiableMap(Key::name, key -> key));

  private boolean headerDigest;
  private boolean dataDigest;
  private int theirMaxRecv = 8192;
  private int maxBurst = 262_144;

  /** Adds the answer to each offered key to {@code answer}, in the order they came. */
  void answer(Map<String, String> offered, Map<String, String> answer) {
    offered.forEach(
        (name, value) -> {
          Key key = BY_NAME.get(name);
          if (key == null) {
            if (!LOGIN_KEYS.contains(name) && !name.startsWith("X-") && !name.startsWith("X#")) {
              answer.put(name, "NotUnderstood");
            }
            return;
          }
          String outcome = outcome(key, value);
          answer.put(name, key.rule() == Rule.DECLARE ? key.ours() : outcome);
          remember(name, outcome);
        });
  }

  private static String outcome(Key key, String theirs) {
    return switch (key.rule()) {
      case LIST ->
          Arrays.stream(theirs.split(","))
              .map(String::trim)
              .filter(v -> Arrays.asList(key.ours().split(",")).contains(v))
              .findFirst()
              .orElse("Reject");
      case MIN -> String.valueOf(Math.min(clamped(key, theirs), Long.parseLong(key.ours())));
      case MAX -> String.valueOf(Math.max(clamped(key, theirs), Long.parseLong(key.ours())));
      case AND -> yes("Yes".equals(theirs) && "Yes".equals(key.ours()));
      case OR -> yes("Yes".equals(theirs) || "Yes".equals(key.ours()));
      case DECLARE -> String.valueOf(clamped(key, theirs));
    };
  }

  private void remember(String name, String outcome) {
    switch (name) {
      case "HeaderDigest" -> headerDigest = outcome.equals("CRC32C");
      case "DataDigest" -> dataDigest = outcome.equals("CRC32C");
      case "MaxRecvDataSegmentLength" -> theirMaxRecv = Integer.parseInt(outcome);
      case "MaxBurstLength" -> maxBurst = Integer.parseInt(outcome);
      default -> {}
    }
  }

  private static long clamped(Key key, String value) {
    long number;
    try {
      number = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      number = key.low();
    }
    return Math.max(key.low(), Math.min(number, key.high()));
  }

  private static String yes(boolean yes) {
    return yes ? "Yes" : "No";
  }

  boolean headerDigest() {
    return headerDigest;
  }

  boolean dataDigest() {
    return dataDigest;
  }

  /** The largest data segment the initiator takes: Data-In is cut to it. */
  int theirMaxRecv() {
    return theirMaxRecv;
  }

  int maxBurst() {
    return maxBurst;
  }
}
