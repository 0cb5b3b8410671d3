package io.discs.images.upload;

import io.discs.platform.error.DomainErrors;
import io.vertx.core.buffer.Buffer;
import io.vertx.serviceproxy.ServiceException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What an upload's bytes measure as they pass: how many there are against the limit, the first ones
 * (for inspection) and their SHA-256 (the running digest of the whole image and, for a chunk the
 * client sent a checksum for, that chunk's own). Counting and the prefix happen on the event loop
 * as bytes arrive; hashing happens on the hash stage's worker, one task at a time.
 */
final class UploadMeter {
  private final long maxBytes;
  private final MessageDigest sha256;
  private final MessageDigest chunkSha256;
  private final byte[] prefix;
  private final BufferBytes.PieceHandler hash;

  private int prefixLength;
  private long size;
  private boolean tooLarge;

  /**
   * @param sha256 the running digest to feed (a resumable upload's continues across chunks)
   * @param chunkSha256 a digest of these bytes alone, or null when nobody checks them
   * @param prefixBytes how many of the first bytes to keep (0 for an append)
   */
  UploadMeter(long maxBytes, MessageDigest sha256, MessageDigest chunkSha256, int prefixBytes) {
    this.maxBytes = maxBytes;
    this.sha256 = sha256;
    this.chunkSha256 = chunkSha256;
    this.prefix = new byte[prefixBytes];
    this.hash =
        chunkSha256 == null
            ? (piece, length) -> sha256.update(piece, 0, length)
            : (piece, length) -> {
              sha256.update(piece, 0, length);
              chunkSha256.update(piece, 0, length);
            };
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Counts {@code data} and keeps what the prefix still lacks.
   *
   * @return false once the upload has passed its limit (it stays past it)
   */
  boolean count(Buffer data) {
    if (tooLarge) {
      return false;
    }
    size += data.length();
    if (size > maxBytes) {
      tooLarge = true;
      return false;
    }
    if (prefixLength < prefix.length) {
      int take = Math.min(prefix.length - prefixLength, data.length());
      data.getBytes(0, take, prefix, prefixLength);
      prefixLength += take;
    }
    return true;
  }

  /** Feeds the digests; the hash stage's only. */
  BufferBytes.PieceHandler hash() {
    return hash;
  }

  /**
   * Feeds the digests {@code length} bytes of {@code bytes} from {@code from}; the hash stage's.
   */
  void hash(byte[] bytes, int from, int length) {
    sha256.update(bytes, from, length);
    if (chunkSha256 != null) {
      chunkSha256.update(bytes, from, length);
    }
  }

  long size() {
    return size;
  }

  boolean exceededLimit() {
    return tooLarge;
  }

  byte[] prefix() {
    return Arrays.copyOf(prefix, prefixLength);
  }

  MessageDigest digest() {
    return sha256;
  }

  /** Only once, after every byte was hashed. */
  String sha256Hex() {
    return HexFormat.of().formatHex(sha256.digest());
  }

  byte[] chunkSha256() {
    return chunkSha256.digest();
  }

  ServiceException tooLargeError() {
    return DomainErrors.imageTooLarge(maxBytes);
  }
}
