package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.companion.Companion;
import io.discs.testing.DiscImages;
import io.discs.testing.TempDirs;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code discs-companion upload}: the resumable protocol from the operator's side. */
class CompanionUploadTest {
  private TestSystem system;
  private Path dir;
  private Path config;

  @BeforeEach
  void start() throws Exception {
    system = TestSystem.start(Map.of());
    system.createUser(system.adminToken(), "olga", "operator-password-long", "operator");
    dir = TempDirs.create("companion-upload");
    config = dir.resolve("config");
  }

  @AfterEach
  void stop() throws Exception {
    system.close();
  }

  @Test
  void putsAnImageInTheLibraryAndPrintsItsIdAndDigest() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("eight.iso"), "EIGHT", 8 << 20, false, 8);
    loginAs("http://127.0.0.1:" + system.discs.httpPort());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = companion(out, err, "upload", iso.toString(), "--name", "Eight", "--chunk-mib", "2");

    assertThat(exit).as(err.toString()).isZero();
    String sha = DiscImages.sha256(iso);
    assertThat(out.toString()).contains("sha256  " + sha).contains("name    Eight");
    assertThat(err.toString()).contains("100%");
    JsonObject listed = onlyImage();
    assertThat(listed.getString("sha256")).isEqualTo(sha);
    assertThat(out.toString()).contains("image   " + listed.getString("id"));
  }

  @Test
  void continuesByItselfAfterTheConnectionDrops() throws Exception {
    Path iso = DiscImages.iso9660(dir.resolve("cut.iso"), "CUT", 8 << 20, false, 9);
    try (CuttingProxy proxy = new CuttingProxy(system.discs.httpPort(), 3 << 20)) {
      loginAs("http://127.0.0.1:" + proxy.port());
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();

      int exit = companion(out, err, "upload", iso.toString(), "--json", "--chunk-mib", "2");

      assertThat(proxy.cut.get()).isTrue();
      assertThat(exit).as(err.toString()).isZero();
      assertThat(err.toString()).isEmpty();
      JsonObject printed = new JsonObject(out.toString().trim());
      assertThat(printed.getString("sha256")).isEqualTo(DiscImages.sha256(iso));
      assertThat(onlyImage().getString("id")).isEqualTo(printed.getString("id"));
    }
  }

  @Test
  void refusesWhatIsNotADiscInOneLine() throws Exception {
    Path noise = dir.resolve("noise.bin");
    byte[] bytes = new byte[300_000];
    new java.util.Random(5).nextBytes(bytes);
    Files.write(noise, bytes);
    loginAs("http://127.0.0.1:" + system.discs.httpPort());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = companion(out, err, "upload", noise.toString(), "--json");

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString().trim())
        .startsWith("discs-companion: ")
        .contains("415")
        .doesNotContain("\n");
    assertThat(system.get("/api/v1/images", token()).bodyAsJsonObject().getJsonArray("items"))
        .isEmpty();
  }

  private JsonObject onlyImage() throws Exception {
    var items = system.get("/api/v1/images", token()).bodyAsJsonObject().getJsonArray("items");
    assertThat(items).hasSize(1);
    return items.getJsonObject(0);
  }

  private String token() throws Exception {
    return system.token("olga", "operator-password-long");
  }

  private void loginAs(String server) throws Exception {
    Files.createDirectories(config);
    Files.writeString(
        config.resolve("credentials.json"),
        new JsonObject()
            .put("server", server)
            .put("username", "olga")
            .put("token", token())
            .encode());
  }

  private int companion(StringWriter out, StringWriter err, String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--config-dir";
    all[1] = config.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return Companion.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
        .execute(all);
  }

  /** A TCP proxy that drops its first connection once that has carried {@code cutAfter} bytes. */
  private static final class CuttingProxy implements AutoCloseable {
    final AtomicBoolean cut = new AtomicBoolean();
    private final ServerSocket server;
    private final int upstream;
    private final long cutAfter;

    CuttingProxy(int upstream, long cutAfter) throws Exception {
      this.upstream = upstream;
      this.cutAfter = cutAfter;
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread accept = new Thread(this::accept, "cutting-proxy");
      accept.setDaemon(true);
      accept.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private void accept() {
      AtomicLong total = new AtomicLong();
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          Socket target = new Socket(InetAddress.getLoopbackAddress(), upstream);
          boolean cuttable = !cut.get();
          pump(client, target, cuttable ? total : null);
          pump(target, client, null);
        } catch (Exception closed) {
          return;
        }
      }
    }

    private void pump(Socket from, Socket to, AtomicLong counted) {
      Thread thread =
          new Thread(
              () -> {
                byte[] buffer = new byte[64 * 1024];
                try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                  for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    if (counted != null
                        && counted.addAndGet(n) > cutAfter
                        && cut.compareAndSet(false, true)) {
                      from.close();
                      to.close();
                      return;
                    }
                  }
                } catch (Exception done) {
                  // One side closed: close the other.
                } finally {
                  try {
                    from.close();
                    to.close();
                  } catch (Exception ignored) {
                    // already closed
                  }
                }
              });
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws Exception {
      server.close();
    }
  }
}
