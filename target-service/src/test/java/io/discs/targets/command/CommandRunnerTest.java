package io.discs.targets.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class CommandRunnerTest {

  private static CommandRunner runner(Vertx vertx) {
    WorkerExecutor workers = vertx.createSharedWorkerExecutor("test-commands", 2);
    return CommandRunner.create(
        workers,
        Map.of(
            "echo", "echo", "sleep", "sleep", "env", "env", "missing", "no-such-program-anywhere"));
  }

  @Test
  void runsAnArgumentVectorWithoutAShell(Vertx vertx) throws Exception {
    CommandResult result =
        runner(vertx)
            .run(Command.of("echo").keyword("readonly=1").keyword("x:y").build())
            .await(10, TimeUnit.SECONDS);

    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).isEqualTo("readonly=1 x:y\n");
  }

  @Test
  void refusesExecutablesOffTheAllowListOrNotInstalled(Vertx vertx) {
    CommandRunner runner = runner(vertx);

    assertThatThrownBy(() -> runner.run(Command.of("rm").build()).await(10, TimeUnit.SECONDS))
        .isInstanceOf(CommandException.class);
    assertThatThrownBy(() -> runner.run(Command.of("missing").build()).await(10, TimeUnit.SECONDS))
        .isInstanceOf(CommandException.class);
    assertThat(runner.processesStarted()).isZero();
  }

  @Test
  void scrubsTheEnvironment(Vertx vertx) throws Exception {
    CommandResult result = runner(vertx).run(Command.of("env").build()).await(10, TimeUnit.SECONDS);

    assertThat(result.stdout().lines())
        .containsExactlyInAnyOrder("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C");
  }

  @Test
  void killsTheWholeProcessTreeWhenTheTimeoutPasses(Vertx vertx) {
    Command sleeper = Command.of("sleep").keyword("30").timeout(Duration.ofMillis(500)).build();

    assertThatThrownBy(() -> runner(vertx).run(sleeper).await(20, TimeUnit.SECONDS))
        .isInstanceOf(CommandException.class)
        .hasMessageContaining("did not finish");
  }

  @Test
  void neverShowsSecretsInDescriptionsOrOutput(Vertx vertx) throws Exception {
    Command command =
        Command.of("echo").keyword("password").arg(new Arg.ChapSecret("Sup3rSecretPass")).build();

    CommandResult result = runner(vertx).run(command).await(10, TimeUnit.SECONDS);

    assertThat(command.describe()).doesNotContain("Sup3rSecretPass").contains("<secret>");
    assertThat(result.stdout()).doesNotContain("Sup3rSecretPass");
    assertThat(result.command()).doesNotContain("Sup3rSecretPass");
  }

  @Test
  void checksEveryArgumentAgainstItsKind() {
    for (String hostile :
        new String[] {
          "iqn.2026-01.x:a;rm",
          "$(id)",
          "`id`",
          "-I",
          "iqn.2026-01.x:a b",
          "iqn.2026-01.x:a\nb",
          "../etc",
          "IQN.2026-01.X:Y",
          "iqn." + "a".repeat(230)
        }) {
      assertThatThrownBy(() -> new Arg.Iqn(hostile))
          .as(hostile)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(new Arg.Iqn("iqn.1993-08.org.debian:01:abcdef").value())
        .isEqualTo("iqn.1993-08.org.debian:01:abcdef");
    assertThat(new Arg.Iqn("eui.0123456789abcdef").value()).isEqualTo("eui.0123456789abcdef");
    assertThatThrownBy(() -> new Arg.ChapSecret("short"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Arg.ChapUser("-rf")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Arg.Keyword("--force"))
        .isInstanceOf(IllegalArgumentException.class);
    Path root = Path.of("/data/images");
    assertThatThrownBy(() -> new Arg.StorePath(root, Path.of("/etc/shadow")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new Arg.StorePath(root, root.resolve("sha256/ab/../../../../etc/passwd")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new Arg.StorePath(root, root.resolve("sha256/ab/" + "ab".repeat(32))).value())
        .isEqualTo("/data/images/sha256/ab/" + "ab".repeat(32));
  }
}
