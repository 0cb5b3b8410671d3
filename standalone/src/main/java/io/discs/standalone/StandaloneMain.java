package io.discs.standalone;

import io.discs.platform.config.ConfigException;
import io.discs.platform.config.DiscsConfig;
import io.discs.platform.launch.Tracing;
import io.discs.platform.metrics.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar discs-standalone.jar}: the whole system in one JVM. This runs on the main
 * thread, never an event loop, so it may wait for start-up and shutdown.
 */
public final class StandaloneMain {
  private static final Logger LOG = LoggerFactory.getLogger(StandaloneMain.class);
  private static final long START_TIMEOUT_SECONDS = 120;
  private static final long STOP_TIMEOUT_SECONDS = 10;

  private StandaloneMain() {}

  /**
   * {@code copy-store --to s3|file}: the file store into the bucket {@code DISCS_S3_*} names, or
   * back. Answers the exit code; every failure is one plain line.
   */
  static int copyStore(String[] args) {
    if (args.length != 3 || !args[1].equals("--to") || !List.of("s3", "file").contains(args[2])) {
      System.err.println("discs: usage: copy-store --to s3|file");
      return 2;
    }
    DiscsConfig config;
    try {
      config = DiscsConfig.fromProcess();
    } catch (ConfigException e) {
      System.err.println("discs: " + e.getMessage());
      return 2;
    }
    if (config.store().s3() == null) {
      System.err.println(
          "discs: copy-store: set DISCS_STORE=s3 and DISCS_S3_BUCKET (and the other DISCS_S3_*)"
              + " to name the bucket");
      return 2;
    }
    StoreCopy copy = new StoreCopy(config.dataDir(), config.store().s3(), System.out);
    try {
      int copied = args[2].equals("s3") ? copy.toBucket() : copy.toFiles();
      System.out.println("discs: " + copied + " blobs copied");
      return 0;
    } catch (IOException | RuntimeException e) {
      // The S3 client's failures come wrapped; the person wants the innermost words.
      Throwable cause = e;
      while (cause.getCause() != null && cause.getMessage() == null
          || cause instanceof java.util.concurrent.CompletionException) {
        cause = cause.getCause();
      }
      System.err.println(
          "discs: copy-store: " + (cause.getMessage() != null ? cause.getMessage() : cause));
      return 1;
    }
  }

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("copy-store")) {
      System.exit(copyStore(args));
      return;
    }
    long began = System.nanoTime();
    DiscsConfig config;
    Tracing tracing;
    try {
      config = DiscsConfig.fromProcess();
      tracing = Tracing.fromEnvironment(System.getenv());
    } catch (ConfigException e) {
      System.err.println("discs: " + e.getMessage());
      System.exit(2);
      return;
    }
    EmbeddedDatabase embedded = null;
    try {
      Files.createDirectories(config.dataDir());
      if (config.externalDatabase().isEmpty() && !config.runsAll()) {
        System.err.println(
            "discs: DISCS_SERVICES names only some services: set DISCS_DB_URL to the PostgreSQL"
                + " server the cluster shares");
        System.exit(2);
        return;
      }
      if (config.externalDatabase().isEmpty()) {
        embedded = EmbeddedDatabase.start(config.dataDir().resolve("postgres"));
        config = config.withDatabase(embedded.appUrl(), embedded.ownerUrl());
      }
      Discs discs =
          Discs.start(config, Metrics.create(), tracing)
              .toCompletionStage()
              .toCompletableFuture()
              .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      EmbeddedDatabase database = embedded;
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> stop(discs, database), "discs-shutdown"));
      String host = "0.0.0.0".equals(config.httpHost()) ? "localhost" : config.httpHost();
      LOG.info(
          "discs is serving http://{}:{} (ready in {} ms, data in {}, database {})",
          host,
          discs.httpPort(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began),
          config.dataDir(),
          embedded == null ? config.dbUrl() : "embedded");
    } catch (IOException | ExecutionException | TimeoutException | RuntimeException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      System.err.println("discs: cannot start: " + cause.getMessage());
      stop(null, embedded);
      System.exit(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(null, embedded);
      System.exit(1);
    }
  }

  /** One hook, in order: the services let go of the database before it stops. */
  private static void stop(Discs discs, EmbeddedDatabase database) {
    if (discs != null && !discs.stop(Duration.ofSeconds(STOP_TIMEOUT_SECONDS))) {
      LOG.warn("discs services did not stop within {} s", STOP_TIMEOUT_SECONDS);
    }
    if (database != null) {
      try {
        database.close();
      } catch (IOException | RuntimeException e) {
        LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
      }
    }
    LOG.info("discs stopped");
  }
}
