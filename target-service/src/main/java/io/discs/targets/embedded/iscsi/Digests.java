package io.discs.targets.embedded.iscsi;

import io.vertx.core.buffer.Buffer;
import java.util.zip.CRC32C;

/** CRC32C header and data digests (RFC 7143 section 12.1), sent least-significant byte first. */
final class Digests {
  private Digests() {}

  static int crc32c(Buffer buffer, int from, int to) {
    CRC32C crc = new CRC32C();
    crc.update(buffer.getBytes(from, to));
    return (int) crc.getValue();
  }

  static Buffer of(Buffer buffer) {
    return Buffer.buffer(4).appendIntLE(crc32c(buffer, 0, buffer.length()));
  }
}
