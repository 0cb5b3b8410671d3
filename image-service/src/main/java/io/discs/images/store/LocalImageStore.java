package io.discs.images.store;

import io.discs.platform.images.BlobLayout;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Blobs on a local filesystem: {@code <root>/sha256/<2 hex>/<64 hex>}, read-only once stored;
 * uploads land in {@code <root>/tmp} first (resumable ones in {@code <root>/resumable}, which a
 * restart keeps) so that the final rename is atomic.
 */
public final class LocalImageStore implements ImageStore {
  private static final String PART = ".part";

  private final Path root;
  private final Path tmp;
  private final Path resumable;

  public LocalImageStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
    this.tmp = this.root.resolve("tmp");
    this.resumable = this.root.resolve("resumable");
  }

  @Override
  public Path newTempFile() throws IOException {
    Files.createDirectories(tmp);
    Path file = tmp.resolve(UUID.randomUUID() + PART);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return file;
  }

  @Override
  public Path resumableFile(UUID uploadId) {
    return resumable.resolve(uploadId + PART);
  }

  @Override
  public Path newResumableFile(UUID uploadId) throws IOException {
    Files.createDirectories(resumable);
    Path file = resumableFile(uploadId);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return file;
  }

  @Override
  public Set<UUID> resumableUploads() throws IOException {
    Set<UUID> ids = new HashSet<>();
    if (!Files.isDirectory(resumable)) {
      return ids;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(resumable, "*" + PART)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        try {
          ids.add(UUID.fromString(name.substring(0, name.length() - PART.length())));
        } catch (IllegalArgumentException notOurs) {
          // Not a name this store gives; left alone.
        }
      }
    }
    return ids;
  }

  @Override
  public Path commit(Path tempFile, String sha256) throws IOException {
    Path target = pathFor(sha256);
    Files.createDirectories(target.getParent());
    if (Files.exists(target)) {
      Files.deleteIfExists(tempFile);
      return target;
    }
    try {
      Files.move(tempFile, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      Files.deleteIfExists(tempFile);
      return target;
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "the image store's tmp and blob directories must be on one filesystem", e);
    }
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r--r--r--"));
    syncDirectory(target.getParent());
    return target;
  }

  @Override
  public Path pathFor(String sha256) {
    return BlobLayout.blob(root, sha256);
  }

  @Override
  public boolean contains(String sha256) {
    return Files.isRegularFile(pathFor(sha256));
  }

  @Override
  public void delete(String sha256) throws IOException {
    Files.deleteIfExists(pathFor(sha256));
  }

  @Override
  public int removeLeftovers() throws IOException {
    if (!Files.isDirectory(tmp)) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp, "*" + PART)) {
      for (Path file : files) {
        Files.deleteIfExists(file);
        removed++;
      }
    }
    return removed;
  }

  /** Makes the rename itself durable, not only the file's bytes. */
  private static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
