package io.discs.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.testing.DiscImages;
import io.discs.testing.LocalPostgres;
import io.discs.testing.TempDirs;
import io.discs.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The procedure of infra/README.md, "Backup and restore", on Debian's PostgreSQL: each service's
 * schema dumped and the content-addressed store copied while the system serves, then both restored
 * into a fresh database server and a fresh data directory. The same images with the same bytes, the
 * same users, and an audit chain that still verifies.
 */
class BackupRestoreTest {
  /** Every service's schema (identity is the gateway's). */
  static final List<String> SCHEMAS = List.of("identity", "images", "targets", "sessions", "audit");

  @Test
  void aRestoreIntoAFreshDatabaseAndDataDirectoryHasTheSameLibrary() throws Exception {
    Path work = TempDirs.create("backup");
    Path backup = work.resolve("backup");
    List<JsonObject> images;
    try (LocalPostgres source = LocalPostgres.start(List.of(), "127.0.0.1")) {
      TestSystem system = TestSystem.on(Map.of(), source.owner(), work.resolve("data"));
      try {
        String admin = system.adminToken();
        system.createUser(admin, "uma", "uma-password-long", "user");
        images =
            List.of(
                system.uploadImage(
                    admin,
                    "one.iso",
                    DiscImages.iso9660(work.resolve("one.iso"), "ONE", 3 << 20, false, 1)),
                system.uploadImage(
                    admin,
                    "two.iso",
                    DiscImages.iso9660(work.resolve("two.iso"), "TWO", 2 << 20, true, 2)));
        // While it serves: each dump is one transaction's view; the store only ever gains files.
        Files.createDirectories(backup);
        for (String schema : SCHEMAS) {
          Files.writeString(backup.resolve(schema + ".sql"), source.dump(schema));
        }
        copyTree(
            system.config.dataDir().resolve("images").resolve("sha256"),
            backup.resolve("store").resolve("sha256"));
        // The audit seal's key (without it the chain cannot be verified), the CHAP secrets' key
        // and the token keys.
        copyTree(system.config.dataDir().resolve("keys"), backup.resolve("keys"));
      } finally {
        system.close();
      }
    }

    try (LocalPostgres fresh = LocalPostgres.start(List.of(), "127.0.0.1")) {
      TestDatabase.appRole(fresh.owner()); // the services' role, which the dumps' grants name
      for (String schema : SCHEMAS) {
        fresh.restore(Files.readString(backup.resolve(schema + ".sql")));
      }
      Path data = work.resolve("restored");
      copyTree(backup.resolve("store").resolve("sha256"), data.resolve("images").resolve("sha256"));
      copyTree(backup.resolve("keys"), data.resolve("keys"));
      TestSystem restored = TestSystem.on(Map.of(), fresh.owner(), data);
      try {
        String admin = restored.adminToken();
        JsonObject listed = restored.get("/api/v1/images", admin).bodyAsJsonObject();
        assertThat(listed.getJsonArray("items")).hasSize(2);
        for (JsonObject image : images) {
          JsonObject again =
              restored.get("/api/v1/images/" + image.getString("id"), admin).bodyAsJsonObject();
          assertThat(again.getString("sha256")).isEqualTo(image.getString("sha256"));
          byte[] bytes =
              restored
                  .client
                  .get("/api/v1/images/" + image.getString("id") + "/content")
                  .bearerTokenAuthentication(admin)
                  .send()
                  .await(30, TimeUnit.SECONDS)
                  .body()
                  .getBytes();
          assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)))
              .isEqualTo(image.getString("sha256"));
        }
        assertThat(restored.token("uma", "uma-password-long")).isNotBlank();
        JsonObject verification = restored.get("/api/v1/audit/verify", admin).bodyAsJsonObject();
        assertThat(verification.getBoolean("intact")).as(verification.encode()).isTrue();
      } finally {
        restored.close();
      }
    }
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }
}
