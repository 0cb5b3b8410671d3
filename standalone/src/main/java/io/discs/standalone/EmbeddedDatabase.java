package io.discs.standalone;

import io.discs.platform.config.DatabaseUrl;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * PostgreSQL run by discs itself, its cluster kept under the data directory so that a restart finds
 * its data again. It listens on loopback only and trusts local connections.
 */
final class EmbeddedDatabase implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  static EmbeddedDatabase start(Path directory) throws IOException {
    Files.createDirectories(directory.getParent());
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(directory)
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(false)
            .setPGStartupWait(Duration.ofSeconds(30))
            .setServerConfig("listen_addresses", "localhost")
            .setServerConfig("max_connections", "100")
            // The library tunes PostgreSQL for throwaway test clusters (no fsync, asynchronous
            // commit); this one holds real data, so durability comes back on.
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("full_page_writes", "on")
            .start();
    return new EmbeddedDatabase(postgres);
  }

  DatabaseUrl url() {
    return new DatabaseUrl("localhost", postgres.getPort(), "postgres", "postgres", "");
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
