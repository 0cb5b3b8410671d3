package io.discs.load;

import static io.gatling.javaapi.core.CoreDsl.RawFileBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Simulation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * (4) Uploads: {@code load.uploads} (8) operators upload an image at once, each a different
 * {@code load.uploadMiB} (256) MiB ISO from {@code load.uploadDir} (perf/load.sh makes them).
 */
public class UploadsSimulation extends Simulation {
  private final Path dir = Path.of(System.getProperty("load.uploadDir", "target/uploads"));
  private final int uploads = Load.intProperty("load.uploads", 8);

  {
    DiscsSetup setup = new DiscsSetup();
    List<String> tokens = setup.usersWithTokens("uploader", uploads, "operator");
    Iterator<Map<String, Object>> files =
        Stream.iterate(0, n -> n + 1)
            .limit(uploads)
            .map(
                n -> {
                  Path file = dir.resolve("upload-" + n + ".iso").toAbsolutePath();
                  if (!Files.isRegularFile(file)) {
                    throw new IllegalStateException("no " + file + ": run perf/load.sh uploads");
                  }
                  return Map.<String, Object>of(
                      "file", file.toString(), "n", n, "token", tokens.get(n));
                })
            .toList()
            .iterator();
    setUp(
            scenario("uploads")
                .feed(files)
                .exec(
                    http("upload 256 MiB")
                        .post("/images?name=load-upload-#{n}.iso")
                        .header("Authorization", "Bearer #{token}")
                        .header("Content-Type", "application/octet-stream")
                        .body(RawFileBody("#{file}"))
                        .check(status().in(200, 201)))
                .injectOpen(atOnceUsers(uploads)))
        .protocols(Load.protocol())
        .assertions(global().failedRequests().count().is(0L));
  }
}
