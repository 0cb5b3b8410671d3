package io.discs.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds an external tool a test needs. Missing, the test is skipped with the Debian package to
 * install, except under {@code CI=true}, where a missing tool fails the test.
 */
public final class SystemTools {
  private static final String[] PATH_DIRS = {
    "/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin"
  };

  private SystemTools() {}

  public static Path require(String tool, String debianPackage) {
    Optional<Path> found = find(tool);
    if (found.isEmpty()) {
      String message = tool + " not found: install the Debian package " + debianPackage;
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(message);
      }
      Assumptions.abort(message);
    }
    return found.get();
  }

  /**
   * Debian's python3 with {@code module} importable, like {@link #require}: a python3 without the
   * module skips (or fails under CI) with the package to install, not with an import error later.
   * Debian's own interpreter is asked first (its packages install there), then the one on the
   * {@code PATH} (which may be another, such as pyenv's).
   */
  public static Path requirePythonModule(String module, String debianPackage) {
    java.util.List<Path> candidates = new java.util.ArrayList<>();
    Path debian = Path.of("/usr/bin/python3");
    if (Files.isExecutable(debian)) {
      candidates.add(debian);
    }
    find("python3").ifPresent(candidates::add);
    for (Path python : candidates) {
      if (imports(python, module)) {
        return python;
      }
    }
    String message =
        "python3 cannot import " + module + ": install the Debian package " + debianPackage;
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail(message);
    }
    Assumptions.abort(message);
    throw new IllegalStateException(message);
  }

  private static boolean imports(Path python, String module) {
    try {
      return new ProcessBuilder(python.toString(), "-c", "import " + module)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start()
              .waitFor()
          == 0;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A file a package installs (a firmware image, a sample disc), like {@link #require}. */
  public static Path requireFile(Path file, String debianPackage) {
    if (!Files.isRegularFile(file)) {
      String message = file + " not found: install the Debian package " + debianPackage;
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(message);
      }
      Assumptions.abort(message);
    }
    return file;
  }

  public static Optional<Path> find(String tool) {
    for (String dir : PATH_DIRS) {
      Path candidate = Path.of(dir, tool);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
