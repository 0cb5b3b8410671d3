package io.discs.gateway.auth;

import io.discs.platform.config.SecurityConfig;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.security.SecureRandom;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First start: creates {@code admin} with {@code DISCS_ADMIN_PASSWORD}, or with a random password
 * logged exactly once (only the gateway whose insert won logs it). Later starts change nothing.
 */
public final class AdminBootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
  private static final String ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  private AdminBootstrap() {}

  public static Future<Void> ensureAdmin(
      UserStore users, PasswordHasher hasher, WorkerExecutor hashing, SecurityConfig security) {
    return users
        .find("admin")
        .compose(
            existing -> {
              if (existing.isPresent()) {
                return Future.succeededFuture();
              }
              String password =
                  security.configuredAdminPassword().orElseGet(AdminBootstrap::randomPassword);
              return hashing
                  .executeBlocking(() -> hasher.hash(password), false)
                  .compose(hash -> users.create("admin", hash, List.of(Role.ADMIN), "system"))
                  .onSuccess(
                      created -> {
                        if (created && security.configuredAdminPassword().isEmpty()) {
                          LOG.warn(
                              "created user 'admin' with the generated password {} (shown once; change it)",
                              password);
                        } else if (created) {
                          LOG.info(
                              "created user 'admin' with the password from DISCS_ADMIN_PASSWORD");
                        }
                      })
                  .mapEmpty();
            });
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
