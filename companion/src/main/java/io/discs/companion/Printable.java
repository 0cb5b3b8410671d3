package io.discs.companion;

/**
 * Text from the server made safe for a terminal: a name holding escape sequences or newlines must
 * not move the cursor, recolour the screen or forge another line of output, and bidirectional
 * controls or invisible characters must not reorder or hide what a person reads. The same rule as
 * the server's for names: control characters, line and paragraph separators and Unicode's format
 * characters (Cf) are shown as a backslash, u and four hex digits.
 */
final class Printable {
  private Printable() {}

  static String of(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder safe = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (unsafe(c)) {
                safe.append(String.format("\\u%04x", c));
              } else {
                safe.appendCodePoint(c);
              }
            });
    return safe.toString();
  }

  static boolean unsafe(int c) {
    int type = Character.getType(c);
    return Character.isISOControl(c)
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }
}
