package io.discs.platform.text;

/**
 * Characters that change how text around them reads when a person looks at it in a terminal or a
 * log: control characters (newlines, escapes, NUL), line and paragraph separators, and Unicode's
 * format characters (category Cf: bidirectional marks, embeddings, overrides and isolates, the
 * Arabic letter mark, zero-width spaces and joiners, the byte order mark). Names may not hold them;
 * text from outside (an initiator's name, say) is escaped before it is logged.
 */
public final class UnsafeCharacters {
  /** Text from outside is logged at most this long; the rest is cut and said to be. */
  public static final int MAX_LOGGED_LENGTH = 256;

  private UnsafeCharacters() {}

  public static boolean isUnsafe(int codePoint) {
    int type = Character.getType(codePoint);
    return Character.isISOControl(codePoint)
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }

  public static boolean noneIn(String text) {
    return text.codePoints().noneMatch(UnsafeCharacters::isUnsafe);
  }

  /** {@code text} with each unsafe character as {@code \\uXXXX}, cut to a loggable length. */
  public static String escaped(String text) {
    if (text == null) {
      return "(none)";
    }
    StringBuilder safe = new StringBuilder(Math.min(text.length(), MAX_LOGGED_LENGTH) + 16);
    int[] codePoints = text.codePoints().toArray();
    for (int i = 0; i < codePoints.length; i++) {
      if (safe.length() >= MAX_LOGGED_LENGTH) {
        safe.append("…(").append(codePoints.length - i).append(" more)");
        break;
      }
      int c = codePoints[i];
      if (isUnsafe(c) || c == '\\') {
        safe.append(c == '\\' ? "\\\\" : String.format("\\u%04x", c));
      } else {
        safe.appendCodePoint(c);
      }
    }
    return safe.toString();
  }
}
