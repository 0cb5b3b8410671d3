package io.discs.targets.embedded.iscsi;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** iSCSI text keys: {@code key=value} pairs, each ended by a NUL byte (RFC 7143 section 6). */
final class TextKeys {
  private static final int MAX_KEYS = 128;

  private TextKeys() {}

  static Map<String, String> parse(Buffer data) {
    Map<String, String> keys = new LinkedHashMap<>();
    String text = data.toString(StandardCharsets.UTF_8);
    for (String pair : text.split("\0")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0 || keys.size() >= MAX_KEYS) {
        throw new IllegalArgumentException("malformed text key");
      }
      keys.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return keys;
  }

  static Buffer encode(Map<String, String> keys) {
    StringBuilder text = new StringBuilder();
    keys.forEach((k, v) -> text.append(k).append('=').append(v).append('\0'));
    return Buffer.buffer(text.toString(), "UTF-8");
  }
}
