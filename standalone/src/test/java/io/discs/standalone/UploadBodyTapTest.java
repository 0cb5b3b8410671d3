package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.platform.images.LentBuffer;
import io.discs.testing.DiscImages;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local uploads' bodies bypass Vert.x's per-chunk copy: the gateway lends the network's pooled
 * memory to the upload's hash stage. These drive that path over raw sockets, as clients really send
 * (pipelined, chunked, refused, cut off), and check that each upload stores its own bytes, that the
 * connection goes on, and that every lent byte comes back to the pool whichever way it ends.
 */
class UploadBodyTapTest {
  private static final Map<String, String> SETTINGS =
      Map.of("DISCS_UPLOAD_IDLE_SECONDS", "2", "DISCS_MAX_IMAGE_BYTES", String.valueOf(12 << 20));

  @TempDir Path dir;

  /**
   * What earlier tests in this JVM left lent (none, unless they leak too): only ours count here.
   */
  private final long lentBefore = LentBuffer.outstandingBytes();

  @Test
  void pipelinedUploadsOnOneConnectionEachStoreTheirOwnBytes() throws Exception {
    try (TestSystem system = TestSystem.start(SETTINGS)) {
      String admin = system.adminToken();
      Path first = DiscImages.iso9660(dir.resolve("first.iso"), "FIRST", 6 << 20, false, 51);
      Path second = DiscImages.iso9660(dir.resolve("second.iso"), "SECOND", 5 << 20, false, 52);

      try (Socket socket = connect(system)) {
        Thread sender =
            send(
                socket,
                raw(admin, "first.iso", Files.readAllBytes(first), null),
                raw(admin, "second.iso", Files.readAllBytes(second), null));
        InputStream in = socket.getInputStream();
        String one = readAnswer(in);
        String two = readAnswer(in);
        sender.join();

        assertThat(one).startsWith("HTTP/1.1 201").contains(DiscImages.sha256(first));
        assertThat(two).startsWith("HTTP/1.1 201").contains(DiscImages.sha256(second));
      }
      assertEverythingGivenBack(system);
    }
  }

  @Test
  void aRefusedUploadIsAnsweredAndGivesItsBytesBack() throws Exception {
    try (TestSystem system = TestSystem.start(SETTINGS)) {
      byte[] bytes = new byte[6 << 20]; // more than the gateway holds before it stops reading
      try (Socket socket = connect(system)) {
        Thread sender = send(socket, raw("not-a-token", "refused.iso", bytes, null));
        String refused = readAnswer(socket.getInputStream());
        sender.join();

        // The rest of the body is not read for nothing: the connection closes after the answer.
        assertThat(refused).startsWith("HTTP/1.1 401").containsIgnoringCase("connection: close");
      }
      assertEverythingGivenBack(system);
    }
  }

  @Test
  void aChunkedUploadIsStoredWhole() throws Exception {
    try (TestSystem system = TestSystem.start(SETTINGS)) {
      String admin = system.adminToken();
      Path iso = DiscImages.iso9660(dir.resolve("chunked.iso"), "CHUNKED", 7 << 20, false, 53);
      try (Socket socket = connect(system)) {
        Thread sender = send(socket, chunked(admin, "chunked.iso", Files.readAllBytes(iso)));
        String answer = readAnswer(socket.getInputStream());
        sender.join();

        assertThat(answer).startsWith("HTTP/1.1 201").contains(DiscImages.sha256(iso));
      }
      assertEverythingGivenBack(system);
    }
  }

  @Test
  void uploadsThatFailGiveEveryByteBack() throws Exception {
    try (TestSystem system = TestSystem.start(SETTINGS)) {
      String admin = system.adminToken();
      Path iso = DiscImages.iso9660(dir.resolve("fail.iso"), "FAIL", 6 << 20, false, 54);
      byte[] bytes = Files.readAllBytes(iso);

      // The announced digest is not the body's: 422 once it has all arrived.
      try (Socket socket = connect(system)) {
        Thread sender = send(socket, raw(admin, "wrong.iso", bytes, "0".repeat(64)));
        String answer = readAnswer(socket.getInputStream());
        sender.join();
        assertThat(answer).startsWith("HTTP/1.1 422");
      }
      assertEverythingGivenBack(system);

      // Past the limit, with no length announced: refused half-way.
      try (Socket socket = connect(system)) {
        Thread sender = send(socket, chunked(admin, "big.iso", new byte[16 << 20]));
        String answer = readAnswer(socket.getInputStream());
        socket.close();
        sender.join();
        assertThat(answer).startsWith("HTTP/1.1 413");
      }
      assertEverythingGivenBack(system);

      // The client goes away half-way.
      try (Socket socket = connect(system)) {
        OutputStream out = socket.getOutputStream();
        byte[] request = raw(admin, "gone.iso", bytes, null);
        out.write(request, 0, request.length / 2);
        out.flush();
        Thread.sleep(300);
      }
      assertEverythingGivenBack(system);

      // The client sends the whole body and leaves before the answer: stored or not, depending on
      // how far the server got, but nothing is left half-done.
      try (Socket socket = connect(system)) {
        socket.getOutputStream().write(raw(admin, "left.iso", bytes, null));
        socket.getOutputStream().flush();
      }
      assertEverythingGivenBack(system);

      // The client stops sending: cut by the idle timeout.
      try (Socket socket = connect(system)) {
        OutputStream out = socket.getOutputStream();
        byte[] request = raw(admin, "stalled.iso", bytes, null);
        out.write(request, 0, request.length / 2);
        out.flush();
        assertThat(readAnswer(socket.getInputStream())).startsWith("HTTP/1.1 408");
      }
      assertEverythingGivenBack(system);
    }
  }

  private static Socket connect(TestSystem system) throws Exception {
    Socket socket = new Socket("127.0.0.1", system.discs.httpPort());
    socket.setSoTimeout(30_000);
    return socket;
  }

  /** Writes the requests on a thread of its own, so that answers are read while it sends. */
  private static Thread send(Socket socket, byte[]... requests) {
    Thread sender =
        new Thread(
            () -> {
              try {
                OutputStream out = socket.getOutputStream();
                for (byte[] request : requests) {
                  out.write(request);
                }
                out.flush();
              } catch (Exception closedByServer) {
                // A refused upload may be cut off; the answer tells.
              }
            });
    sender.start();
    return sender;
  }

  private static byte[] raw(String token, String name, byte[] body, String sha256) {
    String head =
        "POST /api/v1/images?name="
            + name
            + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
            + token
            + "\r\nContent-Type: application/octet-stream\r\n"
            + (sha256 == null ? "" : "X-Checksum-Sha256: " + sha256 + "\r\n")
            + "Content-Length: "
            + body.length
            + "\r\n\r\n";
    return concat(List.of(head.getBytes(StandardCharsets.US_ASCII), body));
  }

  private static byte[] chunked(String token, String name, byte[] body) {
    List<byte[]> parts = new ArrayList<>();
    parts.add(
        ("POST /api/v1/images?name="
                + name
                + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + token
                + "\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    int size = 100_000; // not a multiple of anything the server reads in
    for (int at = 0; at < body.length; at += size) {
      int take = Math.min(size, body.length - at);
      parts.add((Integer.toHexString(take) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] piece = new byte[take];
      System.arraycopy(body, at, piece, 0, take);
      parts.add(piece);
      parts.add("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    parts.add("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return concat(parts);
  }

  private static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    parts.forEach(all::writeBytes);
    return all.toByteArray();
  }

  /** One answer: its head and, by its Content-Length, its body. */
  private static String readAnswer(InputStream in) throws Exception {
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

  /** Every chunk lent to an upload is back in the pool, and no temporary file is left. */
  private void assertEverythingGivenBack(TestSystem system) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline
        && (LentBuffer.outstandingBytes() != lentBefore || tempFiles(system) != 0)) {
      Thread.sleep(50);
    }
    assertThat(LentBuffer.outstandingBytes() - lentBefore)
        .as("bytes lent and not given back")
        .isZero();
    assertThat(tempFiles(system)).as("temporary files").isZero();
  }

  private static long tempFiles(TestSystem system) throws Exception {
    Path tmp = system.config.dataDir().resolve("images/tmp");
    if (!Files.isDirectory(tmp)) {
      return 0; // made by the first upload that got as far as a file
    }
    try (var files = Files.list(tmp)) {
      return files.count();
    }
  }
}
