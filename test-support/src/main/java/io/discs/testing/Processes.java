package io.discs.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a tool a test drives (an initiator, qemu) and keeps its exit code and output. */
public final class Processes {
  private Processes() {
  }

  public record Result(int exitCode, String output) {
  }

  public static Result run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return new Result(-1, output + "\n(timed out)");
    }
    return new Result(process.exitValue(), output);
  }
}
