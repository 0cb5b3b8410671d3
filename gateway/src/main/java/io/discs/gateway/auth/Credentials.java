package io.discs.gateway.auth;

import io.discs.platform.config.SecurityConfig;
import io.discs.platform.error.DomainErrors;
import java.util.regex.Pattern;

/** The rules for user names and passwords, checked before anything is stored or hashed. */
public final class Credentials {
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  /** Reserved: {@code /users/me/...} means the caller. */
  private static final String SELF = "me";

  static final int MIN_PASSWORD = SecurityConfig.MIN_PASSWORD_LENGTH;
  static final int MAX_PASSWORD = SecurityConfig.MAX_PASSWORD_LENGTH;

  private Credentials() {}

  public static String username(String name) {
    if (name == null || !USERNAME.matcher(name).matches() || SELF.equals(name)) {
      throw DomainErrors.badRequest(
          "username must be 1 to 64 of a-z, 0-9, '.', '_' and '-', starting with a "
              + "letter or digit, and not 'me'");
    }
    return name;
  }

  /** Whether some account could have this name (logins for names that cannot are not counted). */
  public static boolean isPossibleUsername(String name) {
    return USERNAME.matcher(name).matches();
  }

  public static String newPassword(String password) {
    if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
      throw DomainErrors.badRequest(
          "password must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
    }
    return password;
  }
}
