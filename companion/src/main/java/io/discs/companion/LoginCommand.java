package io.discs.companion;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = "Log in and keep the token in the config directory (mode 0600).")
final class LoginCommand extends Subcommand implements Callable<Integer> {

  @Option(
      names = "--server",
      required = true,
      description = "The discs server, e.g. https://discs.example:8080")
  private String server;

  @Option(names = "--user", required = true)
  private String user;

  @Option(names = "--password-stdin", description = "Read the password from standard input.")
  private boolean passwordFromStdin;

  @Option(
      names = "--ca",
      description =
          "A PEM file of the certificate(s) to trust for an https server: its private CA or its"
              + " self-signed certificate. Remembered with the login.")
  private Path ca;

  @Override
  public Integer call() throws IOException {
    String password = passwordFromStdin ? readStdin() : prompt();
    Path caFile = ca == null ? null : ca.toAbsolutePath().normalize();
    JsonNode token =
        new ApiClient(server, null, caFile)
            .post(ApiPaths.TOKEN, Map.of("username", user, "password", password));
    new Credentials(
            server,
            user,
            token.path("access_token").asText(),
            caFile == null ? null : caFile.toString())
        .save(companion().configDir());
    out().println("logged in to " + server + " as " + user);
    return 0;
  }

  private static String readStdin() throws IOException {
    String line =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (line == null || line.isEmpty()) {
      throw new CompanionException("no password on standard input", 2);
    }
    return line;
  }

  private static String prompt() {
    Console console = System.console();
    if (console == null) {
      throw new CompanionException("no terminal to ask for the password: use --password-stdin", 2);
    }
    char[] password = console.readPassword("password: ");
    return password == null ? "" : new String(password);
  }
}
