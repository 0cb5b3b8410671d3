package io.discs.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real tgtd of the test's own: its own management port ({@code -C}) and iSCSI portal on loopback,
 * so it never meets the machine's tgtd or another test's. tgtd needs root.
 */
public final class TgtDaemon implements AutoCloseable {
  private final Path tgtd;
  private final Path tgtadm;
  private final int controlPort;
  private final int portalPort;
  private Process process;

  private TgtDaemon(Path tgtd, Path tgtadm, int controlPort, int portalPort) {
    this.tgtd = tgtd;
    this.tgtadm = tgtadm;
    this.controlPort = controlPort;
    this.portalPort = portalPort;
  }

  public static TgtDaemon start() throws Exception {
    Path tgtd = SystemTools.require("tgtd", "tgt");
    Path tgtadm = SystemTools.require("tgtadm", "tgt");
    if (!"root".equals(System.getProperty("user.name"))) {
      String message = "tgtd needs root";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(message);
      }
      Assumptions.abort(message);
    }
    TgtDaemon daemon =
        new TgtDaemon(tgtd, tgtadm, 1000 + (int) (Math.random() * 8000), FreePorts.next());
    daemon.launch();
    return daemon;
  }

  public int controlPort() {
    return controlPort;
  }

  public int portalPort() {
    return portalPort;
  }

  public String portal() {
    return "127.0.0.1:" + portalPort;
  }

  /** Stops tgtd hard and starts it again: every target is gone, as after a crash. */
  public void restart() throws Exception {
    stopProcess();
    launch();
  }

  /**
   * {@code tgtadm -C <port> --lld iscsi <args>}; answers stdout, fails the test on a non-zero exit.
   */
  public String tgtadm(String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(tgtadm.toString(), "-C", String.valueOf(controlPort), "--lld", "iscsi"));
    command.addAll(List.of(args));
    Process run = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Assertions.assertTrue(run.waitFor(30, TimeUnit.SECONDS));
    Assertions.assertEquals(0, run.exitValue(), String.join(" ", command) + ": " + output);
    return output;
  }

  public String show() throws Exception {
    return tgtadm("--mode", "target", "--op", "show");
  }

  private void launch() throws Exception {
    process =
        new ProcessBuilder(
                tgtd.toString(),
                "-f",
                "-C",
                String.valueOf(controlPort),
                "--iscsi",
                "portal=127.0.0.1:" + portalPort)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      Process probe =
          new ProcessBuilder(
                  tgtadm.toString(),
                  "-C",
                  String.valueOf(controlPort),
                  "--lld",
                  "iscsi",
                  "--mode",
                  "target",
                  "--op",
                  "show")
              .redirectErrorStream(true)
              .start();
      probe.getInputStream().readAllBytes();
      if (probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IOException("tgtd did not answer on control port " + controlPort);
  }

  private void stopProcess() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws Exception {
    stopProcess();
  }
}
