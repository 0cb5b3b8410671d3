package io.discs.platform.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Merges the three places a setting may come from. Later sources override earlier ones: environment
 * ({@code DISCS_HTTP_PORT}), then system properties ({@code discs.http.port}), then the properties
 * file named by {@code DISCS_CONFIG_FILE} (keys spelled as the environment variables).
 */
public final class ConfigSources {
  public static final String CONFIG_FILE = "DISCS_CONFIG_FILE";
  private static final String PREFIX = "DISCS_";

  private ConfigSources() {}

  public static Map<String, String> fromProcess() {
    return merge(System.getenv(), System.getProperties());
  }

  public static Map<String, String> merge(Map<String, String> env, Properties systemProperties) {
    Map<String, String> merged = new HashMap<>();
    env.forEach(
        (key, value) -> {
          if (key.startsWith(PREFIX)) {
            merged.put(key, value);
          }
        });
    for (String name : systemProperties.stringPropertyNames()) {
      if (name.startsWith("discs.")) {
        merged.put(variableName(name), systemProperties.getProperty(name));
      }
    }
    String file = merged.get(CONFIG_FILE);
    if (file != null && !file.isBlank()) {
      merged.putAll(readFile(Path.of(file)));
    }
    return merged;
  }

  /** {@code discs.http.port} → {@code DISCS_HTTP_PORT}. */
  static String variableName(String systemProperty) {
    return systemProperty.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
  }

  private static Map<String, String> readFile(Path path) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new ConfigException(
          CONFIG_FILE + ": cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
    }
    Map<String, String> values = new HashMap<>();
    for (String key : properties.stringPropertyNames()) {
      if (!Setting.isKnown(key)) {
        throw new ConfigException(
            CONFIG_FILE + ": " + path + " names unknown setting '" + key + "'");
      }
      values.put(key, properties.getProperty(key).trim());
    }
    return values;
  }
}
