package io.discs.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Temporary directories for data that tests write (keys, blobs, databases), removed when the test
 * JVM exits. A run leaves hundreds of them, many holding images of several MiB; a CI machine that
 * shares its disk ran out of space when they were left to the OS. {@code DISCS_TEST_KEEP_TMP=true}
 * keeps them for a look after a failure.
 */
public final class TempDirs {
  private static final List<Path> CREATED = new ArrayList<>();

  static {
    if (!Boolean.parseBoolean(System.getenv("DISCS_TEST_KEEP_TMP"))) {
      Runtime.getRuntime().addShutdownHook(new Thread(TempDirs::removeAll, "temp-dirs-cleanup"));
    }
  }

  private TempDirs() {}

  public static Path create(String prefix) {
    try {
      Path dir = Files.createTempDirectory(prefix);
      synchronized (CREATED) {
        CREATED.add(dir);
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void removeAll() {
    List<Path> dirs;
    synchronized (CREATED) {
      dirs = List.copyOf(CREATED);
    }
    dirs.forEach(TempDirs::removeTree);
  }

  /** Best effort: a file a stray process still writes is left rather than failing the exit. */
  private static void removeTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException ignored) {
                  // left for the OS
                }
              });
    } catch (IOException | UncheckedIOException ignored) {
      // already gone, or unreadable: left for the OS
    }
  }
}
