package io.discs.companion;

/**
 * Text from the server made safe for a terminal: a name holding escape sequences or newlines must
 * not move the cursor, recolour the screen or forge another line of output.
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
              if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || c == 0x202E) {
                safe.append(String.format("\\u%04x", c));
              } else {
                safe.appendCodePoint(c);
              }
            });
    return safe.toString();
  }
}
