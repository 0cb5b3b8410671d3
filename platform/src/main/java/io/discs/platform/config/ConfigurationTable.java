package io.discs.platform.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The README's configuration table, rendered from {@link Setting}: run {@code main} to print it
 * after changing a setting, and paste it over the table in the README.
 */
public final class ConfigurationTable {
  static final String HEADER = "| variable | default | accepts |\n|---|---|---|\n";

  private ConfigurationTable() {}

  public static String markdown() {
    return HEADER
        + Arrays.stream(Setting.values())
            .map(s -> "| `" + s.variable() + "` | " + s.shownDefault() + " | " + s.help() + " |\n")
            .collect(Collectors.joining());
  }

  public static void main(String[] args) {
    System.out.print(markdown());
  }
}
