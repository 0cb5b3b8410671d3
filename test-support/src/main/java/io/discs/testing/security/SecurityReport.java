package io.discs.testing.security;

import java.util.ArrayList;
import java.util.List;

/**
 * What the security tests tried and saw, for {@code docs/security/REPORT.md}: a test tagged {@code
 * security} records each attack with what it expected and what came back; {@link
 * SecurityReportWriter} adds whether the test passed and writes the report when the run ends.
 */
public final class SecurityReport {
  /**
   * @param finding the finding of the security review this answers (its short name)
   */
  public record Entry(
      String finding, String attack, String expected, String observed, String test) {}

  private static final List<Entry> ENTRIES = new ArrayList<>();
  private static volatile String currentTest = "?";

  private SecurityReport() {}

  public static synchronized void record(
      String finding, String attack, String expected, Object observed) {
    ENTRIES.add(new Entry(finding, attack, expected, String.valueOf(observed), currentTest));
  }

  static void testStarted(String test) {
    currentTest = test;
  }

  static synchronized List<Entry> entries() {
    return new ArrayList<>(ENTRIES);
  }
}
