package io.discs.targets.embedded.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LoginRefusalsTest {
  @Test
  void anInitiatorNameCannotForgeALineOfTheLog() throws Exception {
    Logger log = (Logger) LoggerFactory.getLogger("discs.test.login-refusals");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    log.addAppender(lines);
    new LoginRefusals(log)
        .log(
            "192.0.2.1",
            "iqn.x\n2026-12-07 WARN iSCSI login: admin logged in\u001b[2K\u202E",
            "chap.failed");

    assertThat(lines.list).hasSize(1);
    String line = lines.list.get(0).getFormattedMessage();
    io.discs.testing.security.SecurityReport.record(
        "Smaller: an InitiatorName forges a line in the server log",
        "InitiatorName with a newline, a forged log line, ESC [2K and U+202E",
        "one line, the name escaped",
        line.lines().count() + " line(s): " + line);
    assertThat(line).doesNotContain("\n").doesNotContain("\u001b").doesNotContain("\u202E");
    assertThat(line).contains("iqn.x\\u000a2026-12-07 WARN").contains("\\u001b[2K\\u202e");
  }
}
