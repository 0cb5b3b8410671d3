package io.discs.platform.config;

/**
 * A configuration value that discs cannot start with; the message is one line naming the variable.
 */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
