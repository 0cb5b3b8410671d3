package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.testing.Processes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What libiscsi's conformance suite ({@code iscsi-test-cu}) reported. */
final class IscsiTestCu {
  private IscsiTestCu() {}

  /** Suite.Test names that iscsi-test-cu reported as failed; fails unless it ran to its summary. */
  static List<String> failures(Processes.Result result) {
    List<String> failed = new ArrayList<>();
    String suite = null;
    String test = null;
    Matcher suiteLine = Pattern.compile("^Suite: (\\S+)").matcher("");
    Matcher testLine = Pattern.compile("^\\s*Test: (\\S+)").matcher("");
    for (String line : result.output().split("\n")) {
      if (suiteLine.reset(line).find()) {
        suite = suiteLine.group(1);
      }
      if (testLine.reset(line).find()) {
        test = testLine.group(1);
      }
      if ((line.contains("FAILED") || line.contains("CU_ASSERT"))
          && !failed.contains(suite + "." + test)) {
        failed.add(suite + "." + test);
      }
    }
    assertThat(result.output()).contains("Run Summary");
    return failed;
  }
}
