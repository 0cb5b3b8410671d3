package io.discs.audit.seal;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * {@code <data>/audit/checkpoints}: one signed JSON line per checkpoint, only ever appended (and
 * synced). Blocking: use it from a worker.
 */
public final class CheckpointFile {
  private final Path file;
  private final AuditKey key;

  public CheckpointFile(Path dataDir, AuditKey key) {
    this.file = dataDir.resolve("audit").resolve("checkpoints");
    this.key = key;
  }

  public void append(Checkpoint checkpoint) throws IOException {
    Files.createDirectories(file.getParent());
    if (!Files.exists(file)) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    String line = checkpoint.toJson(key.mac(checkpoint.payload())).encode() + "\n";
    try (FileChannel out =
        FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      out.write(java.nio.ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
      out.force(true);
    }
  }

  /** What the file says about the log's head. */
  public sealed interface Latest permits Latest.None, Latest.Valid, Latest.Forged {
    record None() implements Latest {}

    record Valid(Checkpoint checkpoint) implements Latest {}

    /** A line whose signature does not verify: the file itself was edited. */
    record Forged(int line) implements Latest {}
  }

  public Latest latest() throws IOException {
    if (!Files.exists(file)) {
      return new Latest.None();
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    Checkpoint last = null;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        JsonObject json = new JsonObject(lines.get(i));
        Checkpoint checkpoint = Checkpoint.fromJson(json);
        if (!key.mac(checkpoint.payload()).equals(json.getString("signature"))) {
          return new Latest.Forged(i + 1);
        }
        last = checkpoint;
      } catch (RuntimeException e) {
        // Not JSON, or fields missing or of the wrong type: not a line this class wrote.
        return new Latest.Forged(i + 1);
      }
    }
    return last == null ? new Latest.None() : new Latest.Valid(last);
  }

  public Optional<Path> path() {
    return Optional.of(file);
  }
}
