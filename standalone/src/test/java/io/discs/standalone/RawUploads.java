package io.discs.standalone;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Uploads as bytes on a socket, for tests that must send what a client library would not: a body
 * trickled, stalled, cut off, pipelined or chunked by hand.
 */
final class RawUploads {
  private RawUploads() {}

  /** The head of a raw {@code POST /api/v1/images}; {@code sha256} may be null. */
  static byte[] head(String token, String name, long length, String sha256) {
    return ("POST /api/v1/images?name="
            + name
            + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
            + token
            + "\r\nContent-Type: application/octet-stream\r\n"
            + (sha256 == null ? "" : "X-Checksum-Sha256: " + sha256 + "\r\n")
            + "Content-Length: "
            + length
            + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** A whole raw upload: its head and {@code body}. */
  static byte[] request(String token, String name, byte[] body, String sha256) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(head(token, name, body.length, sha256));
    all.writeBytes(body);
    return all.toByteArray();
  }

  /** A raw upload with no length announced, its body in chunks of {@code chunkSize}. */
  static byte[] chunked(String token, String name, byte[] body, int chunkSize) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(
        ("POST /api/v1/images?name="
                + name
                + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + token
                + "\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    for (int at = 0; at < body.length; at += chunkSize) {
      int take = Math.min(chunkSize, body.length - at);
      all.writeBytes((Integer.toHexString(take) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      all.write(body, at, take);
      all.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    all.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return all.toByteArray();
  }

  /**
   * One answer: its head and, by its Content-Length, its body (what came, if the server closed).
   */
  static String readAnswer(InputStream in) throws Exception {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        return head.toString(StandardCharsets.UTF_8);
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.UTF_8);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).strip());
      }
    }
    return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  /** Files in the store's temporary folder (none before the first upload made it). */
  static long tempFiles(TestSystem system) throws Exception {
    Path tmp = system.config.dataDir().resolve("images/tmp");
    if (!Files.isDirectory(tmp)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(tmp)) {
      return files.count();
    }
  }
}
