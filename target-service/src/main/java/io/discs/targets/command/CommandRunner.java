package io.discs.targets.command;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only way discs runs an external program: an executable from an allow-list resolved to an
 * absolute path at start, an argument vector (never a shell) of checked {@link Arg}s, a scrubbed
 * environment, a timeout that kills the whole process tree, bounded output, secrets redacted from
 * everything it logs or reports. It runs on a named worker pool, never on an event loop.
 */
public final class CommandRunner {
  private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);
  private static final List<String> SEARCH_PATH = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin");
  private static final int MAX_OUTPUT_BYTES = 1 << 20;

  private final WorkerExecutor workers;
  private final Map<String, Path> executables;
  private final AtomicLong started = new AtomicLong();

  private CommandRunner(WorkerExecutor workers, Map<String, Path> executables) {
    this.workers = workers;
    this.executables = Map.copyOf(executables);
  }

  /**
   * @param allowed executable names; each found in the system directories (or given as an absolute
   *     path) when discs starts, and only those ever run
   */
  public static CommandRunner create(WorkerExecutor workers, Map<String, String> allowed) {
    Map<String, Path> resolved = new java.util.HashMap<>();
    allowed.forEach(
        (name, location) -> resolve(location).ifPresent(path -> resolved.put(name, path)));
    return new CommandRunner(workers, resolved);
  }

  public boolean has(String executable) {
    return executables.containsKey(executable);
  }

  /**
   * How many processes this runner has started; tests use it to prove that refused input starts
   * none.
   */
  public long processesStarted() {
    return started.get();
  }

  public Future<CommandResult> run(Command command) {
    Path executable = executables.get(command.executable());
    if (executable == null) {
      return Future.failedFuture(
          new CommandException(command.executable() + " is not an allowed, installed program"));
    }
    return workers.executeBlocking(() -> execute(executable, command), false);
  }

  /**
   * Runs the commands one after another, each only if the one before succeeded by {@code check}
   * (which knows the tool's harmless failures); the first real failure ends the sequence.
   */
  public Future<Void> runInOrder(
      List<Command> steps, Function<CommandResult, Future<CommandResult>> check) {
    Future<Void> chain = Future.succeededFuture();
    for (Command step : steps) {
      chain = chain.compose(v -> run(step).compose(check).mapEmpty());
    }
    return chain;
  }

  private CommandResult execute(Path executable, Command command)
      throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.add(executable.toString());
    if (!command.argsOnStdin()) {
      command.args().forEach(arg -> argv.add(arg.value()));
    }
    ProcessBuilder builder =
        new ProcessBuilder(argv)
            .redirectInput(
                command.argsOnStdin()
                    ? ProcessBuilder.Redirect.PIPE
                    : ProcessBuilder.Redirect.from(nullDevice()));
    Map<String, String> environment = builder.environment();
    environment.clear();
    environment.put("PATH", String.join(":", SEARCH_PATH));
    environment.put("LC_ALL", "C");
    long began = System.nanoTime();
    Process process = builder.start();
    started.incrementAndGet();
    if (command.argsOnStdin()) {
      // Every argument is a checked word (no spaces, no newlines): one line, one command.
      try (var stdin = process.getOutputStream()) {
        stdin.write(
            (command.args().stream()
                        .map(Arg::value)
                        .collect(java.util.stream.Collectors.joining(" "))
                    + "\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (IOException closedEarly) {
        // The program exited without reading: its exit code and output say why.
      }
    }
    OutputCollector stdout = new OutputCollector(process.getInputStream());
    OutputCollector stderr = new OutputCollector(process.getErrorStream());
    stdout.start();
    stderr.start();
    if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
      throw new CommandException(
          command.describe() + " did not finish within " + command.timeout().toSeconds() + " s");
    }
    stdout.join(5_000);
    stderr.join(5_000);
    CommandResult result =
        new CommandResult(
            command.describe(),
            process.exitValue(),
            redact(stdout.text(), command),
            redact(stderr.text(), command));
    LOG.debug(
        "{} exited {} in {} ms",
        result.command(),
        result.exitCode(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    return result;
  }

  private static String redact(String text, Command command) {
    String redacted = text;
    for (String secret : command.secrets()) {
      redacted = redacted.replace(secret, "<secret>");
    }
    return redacted;
  }

  private static java.io.File nullDevice() {
    return new java.io.File("/dev/null");
  }

  private static java.util.Optional<Path> resolve(String location) {
    Path given = Path.of(location);
    if (given.isAbsolute()) {
      return Files.isExecutable(given) ? java.util.Optional.of(given) : java.util.Optional.empty();
    }
    return SEARCH_PATH.stream()
        .map(dir -> Path.of(dir, location))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** Reads a stream to its end, keeping at most {@link #MAX_OUTPUT_BYTES}. */
  private static final class OutputCollector extends Thread {
    private final InputStream in;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    OutputCollector(InputStream in) {
      super("discs-command-output");
      setDaemon(true);
      this.in = in;
    }

    @Override
    public void run() {
      byte[] buffer = new byte[8192];
      try (in) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          int room = MAX_OUTPUT_BYTES - kept.size();
          if (room > 0) {
            kept.write(buffer, 0, Math.min(room, n));
          }
        }
      } catch (IOException e) {
        // The process went away; what was read is what there is.
      }
    }

    String text() {
      synchronized (kept) {
        return kept.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
