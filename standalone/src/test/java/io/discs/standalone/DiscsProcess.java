package io.discs.standalone;

import static org.awaitility.Awaitility.await;

import io.discs.platform.config.DatabaseUrl;
import io.discs.testing.Processes;
import io.discs.testing.SystemTools;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server as its own operating-system process ({@link StandaloneMain} on this test's class
 * path), configured only by environment variables, as a unit or a container would start it; its
 * output goes to a log file the test shows when something fails.
 */
final class DiscsProcess implements AutoCloseable {
  private final String name;
  private final List<String> prefix;
  private final Map<String, String> environment;
  private final Path log;
  private Process process;

  /**
   * @param prefix what the java command runs under (an {@code ip netns exec HOST}), or empty
   */
  DiscsProcess(String name, List<String> prefix, Map<String, String> environment, Path logDir) {
    this.name = name;
    this.prefix = List.copyOf(prefix);
    this.environment = new TreeMap<>(environment);
    this.log = logDir.resolve(name + ".log");
  }

  /** {@code DISCS_DB_URL}'s form of a database address, password included. */
  static String url(DatabaseUrl url) {
    return "postgresql://"
        + URLEncoder.encode(url.user(), StandardCharsets.UTF_8)
        + ":"
        + URLEncoder.encode(url.password(), StandardCharsets.UTF_8)
        + "@"
        + url.host()
        + ":"
        + url.port()
        + "/"
        + url.database();
  }

  DiscsProcess start() throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx512m",
            "-cp",
            System.getProperty("java.class.path"),
            StandaloneMain.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(key -> key.startsWith("DISCS_"));
    builder.environment().putAll(environment);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = builder.start();
    return this;
  }

  /**
   * Waits until {@code /ready} answers 200, or fails with the end of the log. Asked with curl from
   * the process's own host: the test's JVM may not reach a namespace's network.
   */
  DiscsProcess awaitReady(Duration timeout) throws Exception {
    List<String> probe = new ArrayList<>(prefix);
    probe.addAll(
        List.of(
            SystemTools.require("curl", "curl").toString(),
            "-s",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--max-time",
            "2",
            operations() + "/ready"));
    try {
      await(name + " ready")
          .atMost(timeout)
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException(
                      name + " exited " + process.exitValue() + ":\n" + tail());
                }
                return Processes.run(probe, Duration.ofSeconds(10)).output().trim().equals("200");
              });
      return this;
    } catch (org.awaitility.core.ConditionTimeoutException notReady) {
      throw new IllegalStateException(name + " not ready in " + timeout + ":\n" + tail());
    }
  }

  /** Where /ready is: the operations listener when the node has one, else the API's port. */
  String operations() {
    String management = environment.get("DISCS_MANAGEMENT_LISTEN");
    return management == null
        ? base()
        : "http://"
            + environment.get("DISCS_HTTP_HOST")
            + ":"
            + management.substring(management.lastIndexOf(':') + 1);
  }

  String base() {
    return "http://"
        + environment.get("DISCS_HTTP_HOST")
        + ":"
        + environment.get("DISCS_HTTP_PORT");
  }

  /** SIGKILL: no shutdown hook, no goodbye on the cluster. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /**
   * A failure with the end of each process's log appended, so a failed cluster test shows what the
   * processes said.
   */
  static AssertionError withLogs(Throwable failure, DiscsProcess... processes) throws IOException {
    StringBuilder message = new StringBuilder(String.valueOf(failure.getMessage()));
    for (DiscsProcess process : processes) {
      message.append("\n--- ").append(process.name).append('\n').append(process.tail());
    }
    return new AssertionError(message.toString(), failure);
  }

  String tail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
