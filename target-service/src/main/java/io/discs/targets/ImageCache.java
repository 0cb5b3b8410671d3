package io.discs.targets;

import io.discs.platform.cluster.MemberCredentials;
import io.discs.platform.error.DomainErrors;
import io.discs.platform.images.BlobDigests;
import io.discs.platform.images.BlobLayout;
import io.discs.platform.images.ImageService;
import io.discs.platform.targets.FetchProgress;
import io.discs.transfer.remote.ImageNodes;
import io.discs.transfer.s3.S3BlobStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a target finds its image's bytes. On a node that keeps the image store (image-service
 * beside it) that is the store; elsewhere a content-addressed cache filled from an image node's
 * internal listener, each blob checked against its SHA-256 before any target is made from it, and
 * the least recently used evicted beyond a size, never one a target of this node uses.
 */
final class ImageCache {
  private static final Logger LOG = LoggerFactory.getLogger(ImageCache.class);

  private final Vertx vertx;
  private final Path store;
  private final Path cache;
  private final long maxBytes;
  private final String proof;
  private final ImageService images;
  private final Supplier<Future<Set<String>>> inUse;
  private final HttpClient client;
  private final S3BlobStore bucket;

  /** Fetches under way, by digest: two targets of one image wait for one download. */
  private final Map<String, Future<Path>> fetching = new HashMap<>();

  /** The partial file and full size of each fetch under way, by image id: for its progress. */
  private final Map<String, Partial> partials = new ConcurrentHashMap<>();

  private record Partial(Path file, long size) {}

  /**
   * @param store the image store (a blob there is used as it is)
   * @param cache where fetched blobs are kept
   * @param member this node's credentials, or null (no cluster secret): then nothing is fetched
   * @param inUse the digests of the images this node's targets serve
   * @param bucket the bucket images live in (read directly, by ranged GETs), or null: then they
   *     come from an image node
   */
  ImageCache(
      Vertx vertx,
      Path store,
      Path cache,
      long maxBytes,
      MemberCredentials member,
      ImageService images,
      Supplier<Future<Set<String>>> inUse,
      S3BlobStore bucket) {
    this.bucket = bucket;
    this.vertx = vertx;
    this.store = store;
    this.cache = cache;
    this.maxBytes = maxBytes;
    this.proof = member == null ? null : member.listenerProof();
    this.images = images;
    this.inUse = inUse;
    this.client = member == null ? null : vertx.createHttpClient(ImageNodes.clientOptions(member));
  }

  /** The file with the image's bytes on this node, fetched first when it is not here. */
  Future<Path> blob(String imageId, String sha256) {
    return vertx
        .executeBlocking(() -> present(sha256), false)
        .compose(
            found ->
                found.map(Future::succeededFuture).orElseGet(() -> fetchOnce(imageId, sha256)));
  }

  /** Blocking. A cached blob found is marked as just used. */
  private Optional<Path> present(String sha256) throws IOException {
    Path stored = BlobLayout.blob(store, sha256);
    if (Files.isRegularFile(stored)) {
      return Optional.of(stored);
    }
    Path cached = BlobLayout.blob(cache, sha256);
    if (Files.isRegularFile(cached)) {
      Files.setLastModifiedTime(cached, FileTime.fromMillis(System.currentTimeMillis()));
      return Optional.of(cached);
    }
    return Optional.empty();
  }

  private Future<Path> fetchOnce(String imageId, String sha256) {
    Future<Path> underway = fetching.get(sha256);
    if (underway != null) {
      return underway;
    }
    Future<Path> fetch = fetch(imageId, sha256).andThen(done -> fetching.remove(sha256));
    fetching.put(sha256, fetch);
    return fetch;
  }

  private Future<Path> fetch(String imageId, String sha256) {
    if (proof == null && bucket == null) {
      return Future.failedFuture(
          DomainErrors.unavailable(
              "image "
                  + imageId
                  + " is not on this target node, and without DISCS_CLUSTER_SECRET it cannot be"
                  + " fetched from an image node"));
    }
    Path part = cache.resolve("tmp").resolve(sha256 + "." + UUID.randomUUID() + ".part");
    long started = System.nanoTime();
    return images
        .get(imageId)
        .andThen(
            image -> {
              if (image.succeeded()) {
                partials.put(imageId, new Partial(part, image.result().getSizeBytes()));
              }
            })
        .compose(
            image ->
                vertx
                    .fileSystem()
                    .mkdirs(part.getParent().toString())
                    .compose(
                        v ->
                            vertx
                                .fileSystem()
                                .open(
                                    part.toString(),
                                    new OpenOptions().setWrite(true).setCreateNew(true)))
                    .compose(file -> download(sha256, image.getSizeBytes(), file)))
        .compose(v -> vertx.executeBlocking(() -> keep(part, sha256), false))
        .onSuccess(
            kept ->
                LOG.info(
                    "fetched image {} ({}) into the cache in {} ms",
                    imageId,
                    sha256,
                    (System.nanoTime() - started) / 1_000_000))
        .onFailure(failure -> vertx.fileSystem().delete(part.toString()))
        .andThen(done -> partials.remove(imageId))
        .compose(kept -> evict().map(kept));
  }

  /** How far this node's fetch of the image got, while one is under way; else null. */
  Future<FetchProgress> progress(String imageId) {
    Partial partial = partials.get(imageId);
    if (partial == null) {
      return Future.succeededFuture(null);
    }
    return vertx.executeBlocking(
        () ->
            new FetchProgress()
                .setTotalBytes(partial.size())
                .setFetchedBytes(
                    Files.exists(partial.file())
                        ? Math.min(partial.size(), Files.size(partial.file()))
                        : 0),
        false);
  }

  private Future<Void> download(String sha256, long size, AsyncFile file) {
    if (bucket != null) {
      return bucket.fetch(sha256, size, file).eventually(file::close);
    }
    return ImageNodes.blob(vertx, client, proof, sha256, 0, size)
        .compose(answer -> answer.pipeTo(file))
        .onFailure(failure -> file.close());
  }

  /**
   * Blocking: the digest is checked before the blob takes its place, so no target serves a bad one.
   */
  private Path keep(Path part, String sha256) throws IOException {
    String actual = BlobDigests.sha256Of(part);
    if (!actual.equals(sha256)) {
      throw DomainErrors.unavailable(
          "the image node sent bytes whose SHA-256 is " + actual + ", not " + sha256);
    }
    Path target = BlobLayout.blob(cache, sha256);
    Files.createDirectories(target.getParent());
    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return target;
  }

  /**
   * Failing to evict is logged, not fatal: the disk fills later rather than the mount failing now.
   */
  Future<Void> evict() {
    return inUse
        .get()
        .compose(used -> vertx.executeBlocking(() -> evictBeyondLimit(used), false))
        .onFailure(e -> LOG.warn("cache eviction failed: {}", e.getMessage()))
        .transform(done -> Future.succeededFuture());
  }

  /** Blocking. Answers how many blobs went. */
  private int evictBeyondLimit(Set<String> used) throws IOException {
    Path blobs = cache.resolve("sha256");
    if (!Files.isDirectory(blobs)) {
      return 0;
    }
    List<Path> cached;
    try (Stream<Path> files = Files.walk(blobs, 2)) {
      cached =
          files
              .filter(Files::isRegularFile)
              .sorted(Comparator.comparing(ImageCache::lastUsed))
              .toList();
    }
    long total = 0;
    for (Path blob : cached) {
      total += Files.size(blob);
    }
    int evicted = 0;
    for (Path blob : cached) {
      if (total <= maxBytes) {
        break;
      }
      if (!used.contains(blob.getFileName().toString())) {
        long size = Files.size(blob);
        Files.deleteIfExists(blob);
        total -= size;
        evicted++;
        LOG.info("evicted image {} from the cache ({} bytes)", blob.getFileName(), size);
      }
    }
    return evicted;
  }

  private static FileTime lastUsed(Path blob) {
    try {
      return Files.getLastModifiedTime(blob);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
