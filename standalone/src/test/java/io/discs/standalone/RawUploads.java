package io.discs.standalone;

import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
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

  /**
   * Sends the head of a tus PATCH at offset 0 announcing {@code bytes.length} and then only the
   * first {@code sent} bytes, waits until the server has taken them ({@code taken} counts what it
   * took), and drops the connection: a client whose connection broke mid-chunk.
   */
  static void tusPatchCutAfter(
      int port, String location, String token, byte[] bytes, int sent, LongSupplier taken)
      throws Exception {
    long before = taken.getAsLong();
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("PATCH "
                  + location
                  + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                  + token
                  + "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nContent-Type: "
                  + "application/offset+octet-stream\r\nContent-Length: "
                  + bytes.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(bytes, 0, sent);
      out.flush();
      // Dropped once the server has every byte sent.
      await().atMost(Duration.ofSeconds(10)).until(() -> taken.getAsLong() - before >= sent);
    }
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
