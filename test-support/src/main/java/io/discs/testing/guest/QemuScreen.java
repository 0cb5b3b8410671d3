package io.discs.testing.guest;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A guest under {@code qemu-system-x86_64 -accel tcg} with no window, watched through its monitor:
 * {@link #grab()} answers what its screen shows, as QEMU's {@code screendump} writes it (a binary
 * PPM). For boot loaders, which write to the screen and nowhere else.
 */
public final class QemuScreen implements AutoCloseable {
  private final Process process;
  private final Path monitor;
  private final Path workDir;
  private int grabs;

  private QemuScreen(Process process, Path monitor, Path workDir) {
    this.process = process;
    this.monitor = monitor;
    this.workDir = workDir;
  }

  /** Starts QEMU with {@code arguments} after the machine, monitor and display options. */
  public static QemuScreen start(List<String> arguments, Path workDir)
      throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    Path monitor = workDir.resolve("monitor.sock");
    Files.deleteIfExists(monitor);
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                "qemu-system-x86_64",
                "-accel",
                "tcg",
                "-m",
                "256",
                "-display",
                "none",
                "-serial",
                "none",
                "-no-reboot",
                "-monitor",
                "unix:" + monitor + ",server,nowait"));
    command.addAll(arguments);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("qemu.log").toFile())
            .start();
    for (int i = 0; i < 100 && !Files.exists(monitor) && process.isAlive(); i++) {
      Thread.sleep(100);
    }
    if (!process.isAlive()) {
      throw new IOException("qemu stopped: " + Files.readString(workDir.resolve("qemu.log")));
    }
    return new QemuScreen(process, monitor, workDir);
  }

  /** The screen now. */
  public Screen grab() throws IOException, InterruptedException {
    Path file = workDir.resolve("screen-" + (++grabs) + ".ppm");
    monitor("screendump " + file);
    for (int i = 0; i < 50 && !Files.exists(file); i++) {
      Thread.sleep(100);
    }
    return Screen.parse(Files.readAllBytes(file), file);
  }

  /**
   * Runs one command of QEMU's human monitor and answers what it printed (between the prompt it
   * shows on connecting and the one after the command). Some commands print elsewhere: {@code
   * qemu-io}'s output goes to QEMU's standard output, {@link #log}.
   */
  public String monitor(String command) throws IOException, InterruptedException {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(monitor));
      channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
      // The monitor prompts once on connecting and again once it has run the command. A monitor
      // that never answers must fail the test, not hang the build: poll with a deadline.
      channel.configureBlocking(false);
      ByteBuffer reply = ByteBuffer.allocate(4096);
      StringBuilder seen = new StringBuilder();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (seen.toString().split("\\(qemu\\)", -1).length - 1 < 2) {
        if (System.nanoTime() > deadline) {
          throw new IOException(
              "QEMU's monitor did not answer " + command + " within 10 s: " + seen);
        }
        reply.clear();
        int n = channel.read(reply);
        if (n < 0) {
          break;
        }
        if (n == 0) {
          Thread.sleep(20);
          continue;
        }
        seen.append(new String(reply.array(), 0, n, StandardCharsets.ISO_8859_1));
      }
      String all = seen.toString();
      int first = all.indexOf("(qemu)");
      int last = all.lastIndexOf("(qemu)");
      return first < 0 || last <= first ? all : all.substring(first + 6, last);
    }
  }

  /** What QEMU printed on its standard output and error so far. */
  public String log() throws IOException {
    return Files.readString(workDir.resolve("qemu.log"), StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** A screendump: width, height and RGB rows. */
  public record Screen(int width, int height, byte[] rgb, Path file) {
    static Screen parse(byte[] ppm, Path file) throws IOException {
      // "P6\n<width> <height>\n255\n" then the pixels.
      int[] fields = new int[3];
      int position = 2;
      for (int f = 0; f < 3; f++) {
        while (Character.isWhitespace(ppm[position])) {
          position++;
        }
        int value = 0;
        while (Character.isDigit(ppm[position])) {
          value = value * 10 + (ppm[position++] - '0');
        }
        fields[f] = value;
      }
      position++;
      if (ppm[0] != 'P' || ppm[1] != '6' || fields[2] != 255) {
        throw new IOException(file + " is not a binary PPM");
      }
      return new Screen(fields[0], fields[1], Arrays.copyOfRange(ppm, position, ppm.length), file);
    }

    /** The first {@code rows} rows, to compare screens that differ below them (a countdown). */
    public byte[] top(int rows) {
      return Arrays.copyOf(rgb, Math.min(rgb.length, rows * width * 3));
    }

    /** The red, green and blue of one pixel. */
    public int[] pixel(int x, int y) {
      int at = (y * width + x) * 3;
      return new int[] {rgb[at] & 0xff, rgb[at + 1] & 0xff, rgb[at + 2] & 0xff};
    }
  }
}
