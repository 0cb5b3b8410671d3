package io.discs.platform.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads one setting at a time from the merged sources and turns a bad value into a one-line error.
 */
final class SettingReader {
  private final Map<String, String> values;

  SettingReader(Map<String, String> values) {
    this.values = values;
  }

  Optional<String> raw(Setting setting) {
    String value = values.get(setting.variable());
    if (value == null || value.isBlank()) {
      return Optional.ofNullable(setting.defaultValue());
    }
    return Optional.of(value.trim());
  }

  String string(Setting setting) {
    return raw(setting).orElseThrow(() -> invalid(setting, "(unset)"));
  }

  /** A number within the setting's own bounds. */
  int integer(Setting setting) {
    return (int) longValue(setting);
  }

  long longValue(Setting setting) {
    long min = setting.min();
    long max = setting.max();
    String text = string(setting);
    try {
      long value = Long.parseLong(text);
      if (value < min || value > max) {
        throw invalid(setting, text);
      }
      return value;
    } catch (NumberFormatException e) {
      throw invalid(setting, text);
    }
  }

  boolean bool(Setting setting) {
    String text = string(setting).toLowerCase(Locale.ROOT);
    return switch (text) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw invalid(setting, text);
    };
  }

  Path path(Setting setting) {
    String text = string(setting);
    try {
      return Path.of(text).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw invalid(setting, text);
    }
  }

  <E extends Enum<E>> E enumValue(Setting setting, Class<E> type) {
    String text = string(setting);
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid(setting, text);
    }
  }

  /** Parses an optional value; a parser that throws means the value is unacceptable. */
  <T> Optional<T> optional(Setting setting, Function<String, T> parser) {
    return raw(setting).map(text -> parse(setting, text, parser));
  }

  <T> T parse(Setting setting, String text, Function<String, T> parser) {
    try {
      return parser.apply(text);
    } catch (RuntimeException e) {
      throw invalid(setting, text);
    }
  }

  static ConfigException invalid(Setting setting, String value) {
    String shown =
        setting == Setting.ADMIN_PASSWORD
                || setting == Setting.DB_URL
                || setting == Setting.DB_OWNER_URL
                || setting == Setting.SECRETS_KEY
                || setting == Setting.CLUSTER_SECRET
                || setting == Setting.S3_SECRET_ACCESS_KEY
            ? "(hidden)"
            : "'" + value + "'";
    return new ConfigException(
        setting.variable() + " must be " + setting.accepts() + ", got " + shown);
  }
}
