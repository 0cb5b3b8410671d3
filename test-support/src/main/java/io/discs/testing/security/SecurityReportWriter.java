package io.discs.testing.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes {@code docs/security/REPORT.md} at the end of a module's test run, from what its security
 * tests recorded. The rows of the tests that ran are replaced; those of other modules, and of tests
 * that did not run this time, are kept, so a partial run does not erase the rest.
 */
public final class SecurityReportWriter implements TestExecutionListener {
  private static final String HEADER = "| finding | attack | expected | observed | result | test |";
  private final Map<String, String> results = new HashMap<>();

  @Override
  public void executionStarted(TestIdentifier test) {
    if (test.isTest()) {
      SecurityReport.testStarted(name(test));
    }
  }

  @Override
  public void executionFinished(TestIdentifier test, TestExecutionResult result) {
    if (test.isTest()) {
      results.put(
          name(test),
          result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? "held" : "**FAILED**");
    }
  }

  @Override
  public void testPlanExecutionFinished(TestPlan plan) {
    List<SecurityReport.Entry> entries = SecurityReport.entries();
    Path root = repositoryRoot();
    if (entries.isEmpty() || root == null) {
      return;
    }
    String module = Path.of(System.getProperty("user.dir")).getFileName().toString();
    Path report = root.resolve("docs/security/REPORT.md");
    try {
      write(report, module, entries);
    } catch (IOException e) {
      System.err.println("security report not written: " + e.getMessage());
    }
  }

  private void write(Path report, String module, List<SecurityReport.Entry> entries)
      throws IOException {
    Map<String, List<String>> rows = new TreeMap<>();
    if (Files.exists(report)) {
      String section = null;
      for (String line : Files.readAllLines(report, StandardCharsets.UTF_8)) {
        if (line.startsWith("## ")) {
          section = line.substring(3).trim();
        } else if (section != null
            && line.startsWith("| ")
            && !line.equals(HEADER)
            && !line.startsWith("|---")) {
          rows.computeIfAbsent(section, k -> new ArrayList<>()).add(line);
        }
      }
    }
    Set<String> ran = new LinkedHashSet<>();
    entries.forEach(e -> ran.add(e.test()));
    List<String> kept = new ArrayList<>();
    for (String row : rows.getOrDefault(module, List.of())) {
      if (ran.stream().noneMatch(test -> row.endsWith("| `" + test + "` |"))) {
        kept.add(row);
      }
    }
    for (SecurityReport.Entry e : entries) {
      kept.add(
          "| "
              + cell(e.finding())
              + " | "
              + cell(e.attack())
              + " | "
              + cell(e.expected())
              + " | "
              + cell(e.observed())
              + " | "
              + results.getOrDefault(e.test(), "?")
              + " | `"
              + e.test()
              + "` |");
    }
    kept.sort(String::compareTo);
    rows.put(module, kept);

    StringBuilder text = new StringBuilder();
    text.append("# discs — security test report\n\n")
        .append(
            "Written by the test run (`./mvnw verify`), not by hand: each test tagged `security`\n")
        .append(
            "records the attack it makes, what it expects and what came back; *result* is whether\n")
        .append("that test passed. The findings are those of the security review (issue 11);\n")
        .append("`THREAT-MODEL.md` maps them to boundaries and mitigations.\n");
    for (Map.Entry<String, List<String>> section : rows.entrySet()) {
      text.append("\n## ").append(section.getKey()).append("\n\n").append(HEADER).append('\n');
      text.append("|---|---|---|---|---|---|\n");
      section.getValue().forEach(row -> text.append(row).append('\n'));
    }
    Files.createDirectories(report.getParent());
    Files.writeString(report, text.toString(), StandardCharsets.UTF_8);
  }

  private static String cell(String text) {
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("\r", " ");
  }

  private static String name(TestIdentifier test) {
    if (test.getSource().orElse(null) instanceof MethodSource method) {
      String type = method.getClassName();
      return type.substring(type.lastIndexOf('.') + 1) + "." + method.getMethodName();
    }
    return test.getDisplayName();
  }

  /** The checkout this module belongs to: the nearest parent with the Maven wrapper. */
  private static Path repositoryRoot() {
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        dir != null;
        dir = dir.getParent()) {
      if (Files.exists(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("docs"))) {
        return dir;
      }
    }
    return null;
  }
}
