package io.discs.companion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The server and token of the last login, in the user's config directory, readable by them alone;
 * with the CA file to trust for the server's TLS certificate, when login was given one.
 */
record Credentials(String server, String username, String token, String ca) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FILE = "credentials.json";

  static Path defaultDirectory() {
    String xdg = System.getenv("XDG_CONFIG_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".config");
    return base.resolve("discs");
  }

  static Credentials load(Path directory) {
    Path file = directory.resolve(FILE);
    if (!Files.exists(file)) {
      throw new CompanionException(
          "not logged in: run 'discs-companion login --server URL --user NAME' first");
    }
    try {
      ObjectNode node = (ObjectNode) JSON.readTree(file.toFile());
      return new Credentials(
          node.path("server").asText(),
          node.path("username").asText(),
          node.path("token").asText(),
          node.hasNonNull("ca") ? node.path("ca").asText() : null);
    } catch (IOException | ClassCastException e) {
      throw new CompanionException("cannot read " + file + ": log in again");
    }
  }

  /** Kept readable by the user alone ({@link PrivateFile}). */
  void save(Path directory) {
    try {
      PrivateFile.write(
          directory.resolve(FILE),
          out ->
              JSON.writeValue(
                  out,
                  JSON.createObjectNode()
                      .put("server", server)
                      .put("username", username)
                      .put("token", token)
                      .put("ca", ca)));
    } catch (IOException e) {
      throw new CompanionException("cannot save the token in " + directory + ": " + e.getMessage());
    }
  }

  ApiClient client() {
    return new ApiClient(server, token, ca == null ? null : java.nio.file.Path.of(ca));
  }

  @Override
  public String toString() {
    return "Credentials[" + username + "@" + server + "]";
  }
}
