package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.discs.testing.DiscImages;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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

  /** Not a multiple of anything the server reads in. */
  private static final int CHUNK = 100_000;

  @TempDir Path dir;

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
                RawUploads.request(admin, "first.iso", Files.readAllBytes(first), null),
                RawUploads.request(admin, "second.iso", Files.readAllBytes(second), null));
        InputStream in = socket.getInputStream();
        String one = RawUploads.readAnswer(in);
        String two = RawUploads.readAnswer(in);
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
        Thread sender = send(socket, RawUploads.request("not-a-token", "refused.iso", bytes, null));
        String refused = RawUploads.readAnswer(socket.getInputStream());
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
        Thread sender =
            send(socket, RawUploads.chunked(admin, "chunked.iso", Files.readAllBytes(iso), CHUNK));
        String answer = RawUploads.readAnswer(socket.getInputStream());
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
        Thread sender = send(socket, RawUploads.request(admin, "wrong.iso", bytes, "0".repeat(64)));
        String answer = RawUploads.readAnswer(socket.getInputStream());
        sender.join();
        assertThat(answer).startsWith("HTTP/1.1 422");
      }
      assertEverythingGivenBack(system);

      // Past the limit, with no length announced: refused half-way.
      try (Socket socket = connect(system)) {
        Thread sender =
            send(socket, RawUploads.chunked(admin, "big.iso", new byte[16 << 20], CHUNK));
        String answer = RawUploads.readAnswer(socket.getInputStream());
        socket.close();
        sender.join();
        assertThat(answer).startsWith("HTTP/1.1 413");
      }
      assertEverythingGivenBack(system);

      // The client goes away half-way.
      try (Socket socket = connect(system)) {
        OutputStream out = socket.getOutputStream();
        byte[] request = RawUploads.request(admin, "gone.iso", bytes, null);
        out.write(request, 0, request.length / 2);
        out.flush();
        // Gone once the server has begun storing it.
        await().atMost(Duration.ofSeconds(10)).until(() -> RawUploads.tempFiles(system) == 1);
      }
      assertEverythingGivenBack(system);

      // The client sends the whole body and leaves before the answer: stored or not, depending on
      // how far the server got, but nothing is left half-done.
      try (Socket socket = connect(system)) {
        socket.getOutputStream().write(RawUploads.request(admin, "left.iso", bytes, null));
        socket.getOutputStream().flush();
      }
      assertEverythingGivenBack(system);

      // The client stops sending: cut by the idle timeout.
      try (Socket socket = connect(system)) {
        OutputStream out = socket.getOutputStream();
        byte[] request = RawUploads.request(admin, "stalled.iso", bytes, null);
        out.write(request, 0, request.length / 2);
        out.flush();
        assertThat(RawUploads.readAnswer(socket.getInputStream())).startsWith("HTTP/1.1 408");
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

  /** Every chunk lent to an upload is back in the pool, and no temporary file is left. */
  private void assertEverythingGivenBack(TestSystem system) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(system.lentBytes().outstanding())
                  .as("bytes lent and not given back")
                  .isZero();
              assertThat(RawUploads.tempFiles(system)).as("temporary files").isZero();
            });
  }
}
