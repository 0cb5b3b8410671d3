package io.discs.testing;

import io.discs.platform.config.StoreConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;

/**
 * A real S3-compatible server for tests: s3proxy with its file-system backend, as a process of its
 * own (its jars, copied by the {@code s3proxy-runtime} module, never join a discs class path). The
 * bucket is made on first use by the client under test.
 */
public final class S3Proxy implements AutoCloseable {
  public static final String IDENTITY = "discs-test";
  public static final String CREDENTIAL = "discs-test-secret-0123456789";

  private final Process process;
  private final int port;

  private S3Proxy(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts one on a free port, its objects under {@code dir}; skips the test if not built. */
  public static S3Proxy start(Path dir) throws IOException {
    Path lib =
        Path.of(System.getProperty("discs.s3proxy.lib", "../test-servers/s3proxy/target/lib"));
    if (!Files.isDirectory(lib)) {
      String message =
          "s3proxy is not built: run ./mvnw -pl test-servers/s3proxy package (looked in "
              + lib
              + ")";
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException(message);
      }
      Assumptions.abort(message);
    }
    int port = FreePorts.next();
    Path data = Files.createDirectories(dir.resolve("objects"));
    Path properties = dir.resolve("s3proxy.properties");
    Files.writeString(
        properties,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + IDENTITY,
            "s3proxy.credential=" + CREDENTIAL,
            "jclouds.provider=filesystem-nio2",
            "jclouds.filesystem.basedir=" + data,
            ""));
    // s3proxy ships no logging configuration: logback's default logs every byte at DEBUG.
    Path logging = dir.resolve("s3proxy-logback.xml");
    Files.writeString(
        logging,
        "<configuration><appender name=\"out\" class=\"ch.qos.logback.core.ConsoleAppender\">"
            + "<encoder><pattern>%d %-5level %logger{20} - %msg%n</pattern></encoder></appender>"
            + "<root level=\"WARN\"><appender-ref ref=\"out\"/></root></configuration>\n");
    Process process =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dlogback.configurationFile=" + logging,
                    "-cp",
                    lib.toAbsolutePath() + "/*",
                    "org.gaul.s3proxy.Main",
                    "--properties",
                    properties.toString()))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("s3proxy.log").toFile())
            .start();
    S3Proxy proxy = new S3Proxy(process, port);
    HttpClient http = HttpClient.newHttpClient();
    try {
      Awaitility.await("s3proxy listening on " + port)
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptionsInstanceOf(IOException.class)
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException(
                      "s3proxy exited: " + Files.readString(dir.resolve("s3proxy.log")));
                }
                return http.send(
                            HttpRequest.newBuilder(URI.create(proxy.endpoint() + "/")).build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    > 0;
              });
    } catch (RuntimeException e) {
      proxy.close();
      throw e;
    }
    return proxy;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** The settings that start discs on {@code bucket} of this server. */
  public Map<String, String> discsSettings(String bucket) {
    return Map.of(
        "DISCS_STORE", "s3",
        "DISCS_S3_ENDPOINT", endpoint(),
        "DISCS_S3_BUCKET", bucket,
        "DISCS_S3_ACCESS_KEY_ID", IDENTITY,
        "DISCS_S3_SECRET_ACCESS_KEY", CREDENTIAL);
  }

  /** {@code bucket} of this server, as a client of it is configured. */
  public StoreConfig.S3Location location(String bucket) {
    return new StoreConfig.S3Location(
        URI.create(endpoint()), bucket, "us-east-1", IDENTITY, CREDENTIAL, true);
  }

  /** Stops it abruptly, as a server that goes away does. */
  public void kill() {
    process.destroyForcibly();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
