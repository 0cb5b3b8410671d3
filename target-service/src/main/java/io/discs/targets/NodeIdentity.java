package io.discs.targets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * This target node: its name (the portal clients are told, unique among target nodes by necessity)
 * and its incarnation, the lifetime of the targets it serves. Targets of an earlier incarnation are
 * gone, and so are the sessions that used them.
 */
record NodeIdentity(String name, UUID incarnation) {
  private static final String FILE = "target-node-incarnation";

  /** The embedded target's targets live in this process: each start is a new incarnation. */
  static NodeIdentity startingNow(String name) {
    return new NodeIdentity(name, UUID.randomUUID());
  }

  /**
   * tgtd's and LIO's targets outlive discs's process, so a restart keeps the incarnation (kept in
   * the data directory) and its sessions; the reconciler makes again what the backend lost.
   * Blocking: file IO.
   */
  static NodeIdentity lastingIn(Path dataDir, String name) throws IOException {
    Path file = dataDir.resolve(FILE);
    if (Files.exists(file)) {
      return new NodeIdentity(
          name, UUID.fromString(Files.readString(file, StandardCharsets.US_ASCII).trim()));
    }
    UUID incarnation = UUID.randomUUID();
    Files.createDirectories(dataDir);
    Path written = Files.createTempFile(dataDir, FILE, ".tmp");
    Files.writeString(written, incarnation + "\n", StandardCharsets.US_ASCII);
    Files.move(written, file, StandardCopyOption.ATOMIC_MOVE);
    return new NodeIdentity(name, incarnation);
  }
}
