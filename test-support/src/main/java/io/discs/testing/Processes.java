package io.discs.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a tool a test drives (an initiator, qemu, debootstrap) and keeps its exit code and output.
 */
public final class Processes {
  private Processes() {}

  public record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  public static Result run(List<String> command) throws Exception {
    return run(command, Duration.ofMinutes(2));
  }

  /** Output goes through a file, so a long, chatty tool cannot fill a pipe and stall. */
  public static Result run(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    return run(command, timeout, null);
  }

  /**
   * With extra environment variables: for secrets a tool reads from its environment (libiscsi's
   * {@code LIBISCSI_CHAP_PASSWORD}), which stay off its command line.
   */
  public static Result run(List<String> command, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    return run(command, timeout, null, env);
  }

  /** With a file as standard input (a password for {@code --password-stdin}). */
  public static Result runWithInput(List<String> command, Path input)
      throws IOException, InterruptedException {
    return run(command, Duration.ofMinutes(2), input);
  }

  private static Result run(List<String> command, Duration timeout, Path input)
      throws IOException, InterruptedException {
    return run(command, timeout, input, Map.of());
  }

  private static Result run(
      List<String> command, Duration timeout, Path input, Map<String, String> env)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("discs-process", ".log");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().putAll(env);
      if (input != null) {
        builder.redirectInput(input.toFile());
      }
      Process process = builder.start();
      boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      return finished
          ? new Result(process.exitValue(), output)
          : new Result(-1, output + "\n(timed out after " + timeout + ")");
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** Runs a command that must succeed; its output explains the failure otherwise. */
  public static String check(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    Result result = run(command, timeout);
    if (!result.ok()) {
      String output = result.output();
      String tail = output.length() > 4000 ? output.substring(output.length() - 4000) : output;
      throw new IllegalStateException(
          String.join(" ", command) + " exited " + result.exitCode() + ":\n" + tail);
    }
    return result.output();
  }
}
