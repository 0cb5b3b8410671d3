package io.discs.targets.command;

import io.discs.platform.targets.IscsiNameRules;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * One argument of an external command, checked against the pattern of its kind when it is made:
 * nothing a user typed reaches a process unless it matched. Options are constants of the code.
 */
public sealed interface Arg
    permits Arg.Option,
        Arg.Iqn,
        Arg.Number,
        Arg.StorePath,
        Arg.ChapUser,
        Arg.ChapSecret,
        Arg.Keyword,
        Arg.Joined {

  /** The text handed to the process. */
  String value();

  /** The text shown in logs and errors. */
  default String shown() {
    return value();
  }

  Pattern IQN = IscsiNameRules.NAME;
  Pattern OPTION = Pattern.compile("-[A-Za-z]|--[a-z][a-z0-9-]*");
  Pattern KEYWORD = Pattern.compile("[a-zA-Z0-9_./=:-]{0,200}");
  Pattern CHAP_USER = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}");
  Pattern CHAP_SECRET = Pattern.compile("[A-Za-z0-9]{12,16}");
  Pattern STORE_FILE = Pattern.compile("[0-9a-f]{64}");

  static Option option(String flag) {
    return new Option(flag);
  }

  static Keyword keyword(String word) {
    return new Keyword(word);
  }

  /** A flag such as {@code --op}; only ever a literal in the code. */
  record Option(String value) implements Arg {
    public Option {
      require(OPTION, value, "option");
    }
  }

  /**
   * A fixed word of a tool's vocabulary ({@code target}, {@code readonly=1}); literals in the code.
   */
  record Keyword(String value) implements Arg {
    public Keyword {
      require(KEYWORD, value, "keyword");
      if (value.startsWith("-")) {
        throw new IllegalArgumentException("a keyword may not look like an option");
      }
    }
  }

  /**
   * An iSCSI name (RFC 7143 section 4.2.7.1): iqn., eui. or naa. form, lowercase, at most 223
   * bytes.
   */
  record Iqn(String value) implements Arg {
    public Iqn {
      if (value == null || value.length() > 223) {
        throw new IllegalArgumentException("an iSCSI name is at most 223 bytes");
      }
      require(IQN, value, "iSCSI name");
    }
  }

  record Number(long number) implements Arg {
    public Number {
      if (number < 0 || number > 1_000_000) {
        throw new IllegalArgumentException("number out of range");
      }
    }

    @Override
    public String value() {
      return Long.toString(number);
    }
  }

  /** A blob inside the image store: the path must be under the store root and named by a digest. */
  record StorePath(Path root, Path file) implements Arg {
    public StorePath {
      Path normalizedRoot = root.toAbsolutePath().normalize();
      Path normalized = file.toAbsolutePath().normalize();
      if (!normalized.startsWith(normalizedRoot)
          || !STORE_FILE.matcher(normalized.getFileName().toString()).matches()) {
        throw new IllegalArgumentException("not a blob inside the image store");
      }
      file = normalized;
      root = normalizedRoot;
    }

    @Override
    public String value() {
      return file.toString();
    }
  }

  record ChapUser(String value) implements Arg {
    public ChapUser {
      require(CHAP_USER, value, "CHAP user");
    }
  }

  /** Never shown: logs and errors see a placeholder. */
  record ChapSecret(String value) implements Arg {
    public ChapSecret {
      require(CHAP_SECRET, value, "CHAP secret");
    }

    @Override
    public String shown() {
      return "<secret>";
    }

    @Override
    public String toString() {
      return "ChapSecret[<secret>]";
    }
  }

  /**
   * Checked parts joined into one argument, such as a targetcli path ({@code /iscsi/<iqn>/tpg1}) or
   * a parameter ({@code userid=<user>}); safe because every part is.
   */
  record Joined(String separator, java.util.List<Arg> parts) implements Arg {
    public Joined {
      if (!separator.isEmpty() && !separator.equals("/")) {
        throw new IllegalArgumentException("parts join with nothing or '/'");
      }
      parts = java.util.List.copyOf(parts);
    }

    static Joined of(String separator, Arg... parts) {
      return new Joined(separator, java.util.List.of(parts));
    }

    @Override
    public String value() {
      return String.join(separator, parts.stream().map(Arg::value).toList());
    }

    @Override
    public String shown() {
      return String.join(separator, parts.stream().map(Arg::shown).toList());
    }
  }

  /** {@code key=value} with a literal key and a checked value. */
  static Joined param(String key, Arg value) {
    return Joined.of("", keyword(key + "="), value);
  }

  /** {@code /segment/segment...}: literal words and checked names. */
  static Joined path(Arg... segments) {
    java.util.List<Arg> parts = new java.util.ArrayList<>();
    parts.add(keyword(""));
    parts.addAll(java.util.List.of(segments));
    return new Joined("/", parts);
  }

  private static void require(Pattern pattern, String value, String kind) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new IllegalArgumentException("not a valid " + kind);
    }
  }
}
