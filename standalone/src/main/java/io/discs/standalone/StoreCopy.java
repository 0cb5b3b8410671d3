package io.discs.standalone;

import io.discs.platform.config.StoreConfig;
import io.discs.platform.images.BlobDigests;
import io.discs.platform.images.BlobLayout;
import io.discs.transfer.s3.S3Clients;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code java -jar discs-standalone.jar copy-store --to s3|file}: copies every blob of the local
 * file store ({@code <data>/images}) into the bucket {@code DISCS_S3_*} names, or back. Each blob's
 * bytes are checked against its digest before they are copied; a blob already at the other side is
 * left as it is, so a copy that stopped half-way is simply run again. Image records are in the
 * database and do not move: start on the new store once the copy is done.
 */
final class StoreCopy {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final String BLOBS = "sha256/";
  private static final int PRECONDITION_FAILED = 412;
  private static final int NOT_FOUND = 404;

  /** The largest object one PUT may carry (S3 allows 5 GiB). */
  private static final long SINGLE_PUT_BYTES = 5L << 30;

  private final Path images;
  private final StoreConfig.S3Location bucket;
  private final PrintStream out;

  StoreCopy(Path dataDir, StoreConfig.S3Location bucket, PrintStream out) {
    this.images = BlobLayout.imagesRoot(dataDir);
    this.bucket = bucket;
    this.out = out;
  }

  /** The blobs copied (those already at the other side not counted). */
  int toBucket() throws IOException {
    int copied = 0;
    try (S3AsyncClient s3 = S3Clients.create(bucket)) {
      ensureBucket(s3);
      for (Path blob : localBlobs()) {
        String sha256 = blob.getFileName().toString();
        long size = Files.size(blob);
        if (size > SINGLE_PUT_BYTES) {
          throw new IOException(sha256 + " is larger than one PUT takes (5 GiB); not copied");
        }
        if (!sha256.equals(BlobDigests.sha256Of(blob))) {
          throw new IOException(blob + " does not hash to its name; the store is damaged");
        }
        try {
          s3.putObject(
                  b ->
                      b.bucket(bucket.bucket())
                          .key(BLOBS + sha256)
                          .ifNoneMatch("*")
                          .contentLength(size),
                  AsyncRequestBody.fromFile(blob))
              .join();
          copied++;
          out.println("copied " + sha256 + " (" + size + " bytes)");
        } catch (CompletionException e) {
          if (status(e) != PRECONDITION_FAILED) {
            throw new IOException("cannot copy " + sha256 + ": " + e.getCause().getMessage(), e);
          }
          out.println("already in the bucket: " + sha256);
        }
      }
    }
    return copied;
  }

  /** The blobs copied from the bucket into the file store. */
  int toFiles() throws IOException {
    int copied = 0;
    Path tmp = Files.createDirectories(images.resolve("tmp"));
    try (S3AsyncClient s3 = S3Clients.create(bucket)) {
      List<String> digests = new ArrayList<>();
      s3.listObjectsV2Paginator(
              ListObjectsV2Request.builder().bucket(bucket.bucket()).prefix(BLOBS).build())
          .contents()
          .subscribe(object -> digests.add(object.key().substring(BLOBS.length())))
          .join();
      for (String sha256 : digests) {
        if (!SHA256.matcher(sha256).matches()) {
          continue;
        }
        Path target = BlobLayout.blob(images, sha256);
        if (Files.isRegularFile(target)) {
          out.println("already in the file store: " + sha256);
          continue;
        }
        Path part = tmp.resolve(UUID.randomUUID() + ".part");
        try {
          s3.getObject(
                  b -> b.bucket(bucket.bucket()).key(BLOBS + sha256),
                  AsyncResponseTransformer.toFile(part))
              .join();
          if (!sha256.equals(BlobDigests.sha256Of(part))) {
            throw new IOException("the bucket's " + sha256 + " does not hash to its name");
          }
          Files.createDirectories(target.getParent());
          Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
          Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r--r--r--"));
          copied++;
          out.println("copied " + sha256 + " (" + Files.size(target) + " bytes)");
        } catch (CompletionException e) {
          throw new IOException("cannot copy " + sha256 + ": " + e.getCause().getMessage(), e);
        } finally {
          Files.deleteIfExists(part);
        }
      }
    }
    return copied;
  }

  private void ensureBucket(S3AsyncClient s3) {
    try {
      s3.headBucket(b -> b.bucket(bucket.bucket())).join();
    } catch (CompletionException e) {
      if (status(e) != NOT_FOUND) {
        throw e;
      }
      s3.createBucket(b -> b.bucket(bucket.bucket())).join();
    }
  }

  private List<Path> localBlobs() throws IOException {
    Path root = images.resolve("sha256");
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root, 2)) {
      return files
          .filter(Files::isRegularFile)
          .filter(file -> SHA256.matcher(file.getFileName().toString()).matches())
          .sorted()
          .toList();
    }
  }

  private static int status(CompletionException e) {
    return e.getCause() instanceof S3Exception s3 ? s3.statusCode() : -1;
  }
}
