package io.discs.companion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One file sent over the resumable (tus 1.0.0) protocol: chunks with their SHA-256 in
 * Upload-Checksum, and after a dropped connection or a busy server, a pause, a HEAD for where the
 * server stands and on from there. The whole file is hashed on the way and compared with the image
 * the server made.
 */
final class TusUpload {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TUS = "1.0.0";

  /** Answers worth another try: the server was busy, slow or briefly unwell. */
  private static final Set<Integer> RETRY =
      Set.of(
          ApiStatus.REQUEST_TIMEOUT,
          ApiStatus.LOCKED,
          ApiStatus.CHECKSUM_MISMATCH,
          ApiStatus.INTERNAL_ERROR,
          ApiStatus.BAD_GATEWAY,
          ApiStatus.SERVICE_UNAVAILABLE,
          ApiStatus.GATEWAY_TIMEOUT);

  private static final int MAX_TRIES_WITHOUT_PROGRESS = 8;

  private final ApiClient api;
  private final UploadProgress progress;
  private final int chunkBytes;
  private MessageDigest whole;

  TusUpload(ApiClient api, UploadProgress progress, int chunkBytes) {
    this.api = api;
    this.progress = progress;
    this.chunkBytes = chunkBytes;
  }

  /** The finished upload: the image's id and what the file hashed to here. */
  record Sent(String imageId, String sha256) {}

  /**
   * Sends {@code file}, continuing {@code knownUrl} when the server still has it; {@code created}
   * hears the URL of a new upload before its first byte is sent.
   */
  Sent send(Path file, String name, long size, String knownUrl, Consumer<String> created) {
    String url = knownUrl;
    Long offset = url == null ? null : offsetOf(url);
    if (offset == null) {
      url = create(name, size);
      created.accept(url);
      offset = 0L;
    } else {
      progress.note("continuing an earlier upload of this file at " + UploadProgress.bytes(offset));
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      whole = hashed(channel, offset);
      ByteBuffer chunk = ByteBuffer.allocate(chunkBytes);
      int tries = 0;
      while (true) {
        progress.at(offset);
        if (offset == size) {
          String imageId = imageOf(url);
          if (imageId != null) {
            return new Sent(imageId, HexFormat.of().formatHex(whole.digest()));
          }
        }
        chunk.clear().limit((int) Math.min(chunkBytes, size - offset));
        readFully(channel, chunk, offset);
        HttpResponse<String> answer;
        try {
          answer = patch(url, offset, chunk.array(), chunk.limit());
        } catch (CompanionException unreachable) {
          if (!unreachable.isTransient()) {
            throw unreachable;
          }
          answer = null;
        }
        if (answer != null && answer.statusCode() == ApiStatus.NO_CONTENT) {
          whole.update(chunk.array(), 0, chunk.limit());
          offset = Long.parseLong(answer.headers().firstValue("Upload-Offset").orElseThrow());
          tries = 0;
          String imageId = answer.headers().firstValue("Discs-Image-Id").orElse(null);
          if (imageId != null) {
            progress.at(offset);
            return new Sent(imageId, HexFormat.of().formatHex(whole.digest()));
          }
          continue;
        }
        if (answer != null
            && !RETRY.contains(answer.statusCode())
            && answer.statusCode() != ApiStatus.CONFLICT) {
          throw ApiClient.failure(answer);
        }
        if (++tries > MAX_TRIES_WITHOUT_PROGRESS) {
          throw new CompanionException(
              "the upload stopped making progress at "
                  + UploadProgress.bytes(offset)
                  + (answer == null ? " (server unreachable)" : " (" + answer.statusCode() + ")")
                  + "; run the same command again to continue",
              3);
        }
        pause(tries);
        Long now;
        try {
          now = offsetOf(url);
        } catch (CompanionException stillDown) {
          // The image node restarting answers 503 for a while: wait more, up to the same limit.
          if (!stillDown.isTransient()) {
            throw stillDown;
          }
          continue;
        }
        if (now == null) {
          throw new CompanionException("the server no longer has this upload (expired?)", 1);
        }
        if (!now.equals(offset)) {
          offset = now;
          whole = hashed(channel, offset);
        }
      }
    } catch (IOException e) {
      throw new CompanionException("cannot read " + file + ": " + e.getMessage());
    }
  }

  private String create(String name, long size) {
    HttpResponse<String> answer =
        api.exchange(
            api.request(ApiPaths.UPLOADS)
                .header("Tus-Resumable", TUS)
                .header("Upload-Length", String.valueOf(size))
                .header("Upload-Metadata", "name " + base64(name.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.noBody()));
    if (answer.statusCode() != ApiStatus.CREATED) {
      throw ApiClient.failure(answer);
    }
    return answer
        .headers()
        .firstValue("Location")
        .orElseThrow(() -> new CompanionException("the server made an upload but named no URL"));
  }

  /** Where the server stands, or null when it has no such upload (any more). */
  private Long offsetOf(String url) {
    HttpResponse<String> answer =
        api.exchange(api.request(url).header("Tus-Resumable", TUS).method("HEAD", noBody()));
    if (answer.statusCode() == ApiStatus.NOT_FOUND || answer.statusCode() == ApiStatus.GONE) {
      return null;
    }
    if (answer.statusCode() != ApiStatus.OK) {
      throw ApiClient.failure(answer);
    }
    return Long.parseLong(answer.headers().firstValue("Upload-Offset").orElse("0"));
  }

  /** The image a complete upload became, or null while it is not complete. */
  private String imageOf(String url) {
    HttpResponse<String> answer = api.exchange(api.request(url).GET());
    if (answer.statusCode() != ApiStatus.OK) {
      throw ApiClient.failure(answer);
    }
    try {
      JsonNode upload = JSON.readTree(answer.body());
      return upload.path("complete").asBoolean() ? upload.path("imageId").asText() : null;
    } catch (IOException e) {
      throw new CompanionException("the server answered something that is not JSON");
    }
  }

  private HttpResponse<String> patch(String url, long offset, byte[] bytes, int length) {
    return api.exchange(
        api.request(url)
            .timeout(Duration.ofMinutes(10))
            .header("Tus-Resumable", TUS)
            .header("Upload-Offset", String.valueOf(offset))
            .header("Content-Type", "application/offset+octet-stream")
            .header("Upload-Checksum", "sha256 " + base64(sha256(bytes, length)))
            .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes, 0, length)));
  }

  /** A digest of the file's first {@code upTo} bytes, read again from the file. */
  private MessageDigest hashed(FileChannel channel, long upTo) throws IOException {
    MessageDigest digest = newSha256();
    ByteBuffer block = ByteBuffer.allocate(1 << 20);
    for (long at = 0; at < upTo; ) {
      block.clear().limit((int) Math.min(block.capacity(), upTo - at));
      readFully(channel, block, at);
      digest.update(block.array(), 0, block.limit());
      at += block.limit();
    }
    return digest;
  }

  private static void readFully(FileChannel channel, ByteBuffer into, long at) throws IOException {
    while (into.hasRemaining()) {
      if (channel.read(into, at + into.position()) < 0) {
        throw new IOException("the file got shorter while it was being sent");
      }
    }
  }

  private static void pause(int tries) {
    try {
      Thread.sleep(Math.min(30_000L, 500L << Math.min(tries, 6)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompanionException("interrupted; run the same command again to continue", 130);
    }
  }

  private static byte[] sha256(byte[] bytes, int length) {
    MessageDigest digest = newSha256();
    digest.update(bytes, 0, length);
    return digest.digest();
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static HttpRequest.BodyPublisher noBody() {
    return HttpRequest.BodyPublishers.noBody();
  }
}
