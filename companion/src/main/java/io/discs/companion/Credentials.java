package io.discs.companion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

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

  /**
   * Written to a private temporary file and moved into place, so the token is never readable by
   * others.
   */
  void save(Path directory) {
    try {
      Files.createDirectories(directory);
      Path temp =
          Files.createTempFile(
              directory,
              "credentials",
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      JSON.writeValue(
          temp.toFile(),
          JSON.createObjectNode()
              .put("server", server)
              .put("username", username)
              .put("token", token)
              .put("ca", ca));
      Files.move(
          temp,
          directory.resolve(FILE),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
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
