package io.discs.companion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Properties;

/**
 * Which upload URL a file was being sent to, so that running the same {@code upload} again after
 * Ctrl-C or a crash continues instead of starting over. A file is known by its path, size and
 * modification time: a changed file starts afresh.
 */
final class ResumeRecords {
  private static final String FILE = "uploads.properties";
  private final Path directory;

  ResumeRecords(Path directory) {
    this.directory = directory;
  }

  String find(String server, Path file) {
    return load().getProperty(key(server, file));
  }

  void remember(String server, Path file, String uploadUrl) {
    Properties records = load();
    records.setProperty(key(server, file), uploadUrl);
    save(records);
  }

  void forget(String server, Path file) {
    Properties records = load();
    if (records.remove(key(server, file)) != null) {
      save(records);
    }
  }

  private Properties load() {
    Properties records = new Properties();
    Path path = directory.resolve(FILE);
    if (Files.exists(path)) {
      try (InputStream in = Files.newInputStream(path)) {
        records.load(in);
      } catch (IOException e) {
        // An unreadable record only costs a fresh start.
      }
    }
    return records;
  }

  private void save(Properties records) {
    try {
      PrivateFile.write(
          directory.resolve(FILE), out -> records.store(out, "discs-companion: uploads under way"));
    } catch (IOException e) {
      throw new CompanionException(
          "cannot write " + directory.resolve(FILE) + ": " + e.getMessage());
    }
  }

  private static String key(String server, Path file) {
    try {
      Path real = file.toRealPath();
      String identity =
          server
              + "\n"
              + real
              + "\n"
              + Files.size(real)
              + "\n"
              + Files.getLastModifiedTime(real).toMillis();
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(identity.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new CompanionException("cannot read " + file + ": " + e.getMessage());
    }
  }
}
