package io.discs.gateway.auth;

import io.discs.platform.Role;
import io.discs.platform.config.SecurityConfig;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First start: creates {@code admin} with {@code DISCS_ADMIN_PASSWORD}, or with a random password
 * written to {@code <data>/initial-admin-password} (mode 0600) by the gateway whose insert won.
 * Logs are read by more people than the data directory, so the log names only the file. Later
 * starts change nothing.
 */
public final class AdminBootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);

  /** The account the first start makes. */
  static final String ADMIN_USER = "admin";

  private static final String ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  private AdminBootstrap() {}

  public static final String PASSWORD_FILE = "initial-admin-password";

  public static Future<Void> ensureAdmin(
      UserStore users,
      PasswordHasher hasher,
      WorkerExecutor hashing,
      SecurityConfig security,
      Path dataDir) {
    return users
        .find(ADMIN_USER)
        .compose(
            existing -> {
              if (existing.isPresent()) {
                return Future.succeededFuture();
              }
              String password =
                  security.configuredAdminPassword().orElseGet(AdminBootstrap::randomPassword);
              return hashing
                  .executeBlocking(() -> hasher.hash(password), false)
                  .compose(hash -> users.create(ADMIN_USER, hash, List.of(Role.ADMIN), "system"))
                  .compose(
                      created -> {
                        if (!created) {
                          return Future.succeededFuture();
                        }
                        if (security.configuredAdminPassword().isPresent()) {
                          LOG.info(
                              "created user 'admin' with the password from DISCS_ADMIN_PASSWORD");
                          return Future.succeededFuture();
                        }
                        Path file = dataDir.resolve(PASSWORD_FILE);
                        return hashing
                            .executeBlocking(() -> writePrivately(file, password), false)
                            .onSuccess(
                                v ->
                                    LOG.warn(
                                        "created user 'admin' with a generated password, in {}"
                                            + " (readable by this user only; change it, then"
                                            + " delete the file)",
                                        file));
                      })
                  .mapEmpty();
            });
  }

  private static Void writePrivately(Path file, String password) throws IOException {
    Files.createDirectories(file.getParent());
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
    return null;
  }

  private static String randomPassword() {
    SecureRandom random = new SecureRandom();
    StringBuilder password = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return password.toString();
  }
}
