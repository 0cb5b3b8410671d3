package io.discs.standalone;

import io.discs.companion.Companion;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The companion and the API as a person on another machine uses them: its own JVM, plain HTTP. */
final class CompanionCli {
  private CompanionCli() {}

  static List<String> command(Path config, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Companion.class.getName(),
                "--config-dir",
                config.toString()));
    command.addAll(List.of(args));
    return command;
  }

  /** The next line a mount prints (its session, with {@code --json}). */
  static String readLine(BufferedReader reader) {
    try {
      String line = reader.readLine();
      if (line == null) {
        throw new IllegalStateException("the mount printed nothing");
      }
      return line;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String lastLine(String output) {
    String[] lines = output.trim().split("\n");
    return lines[lines.length - 1];
  }

  /** An admin's bearer token from {@code POST /api/v1/auth/token}; anything but 200 fails. */
  static String adminToken(HttpClient http, String base, String password) throws Exception {
    HttpResponse<String> answer =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/token"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        new JsonObject()
                            .put("username", "admin")
                            .put("password", password)
                            .encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new AssertionError("sign-in answered " + answer.statusCode() + ": " + answer.body());
    }
    return new JsonObject(answer.body()).getString("access_token");
  }
}
