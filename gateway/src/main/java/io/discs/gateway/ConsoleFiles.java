package io.discs.gateway;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

/**
 * The console's files, as the console module's build put them in its jar (listed in {@code
 * files.txt}): read once on a worker when the gateway starts, each with its ETag and a gzipped
 * copy, so serving one is a lookup.
 */
public final class ConsoleFiles {
  static final String ROOT = "/io/discs/console/";

  /** One file, ready to send. */
  public record File(String contentType, Buffer bytes, Buffer gzipped, String etag) {}

  private final Map<String, File> files;

  private ConsoleFiles(Map<String, File> files) {
    this.files = Map.copyOf(files);
  }

  /** By the name the page asks for ({@code index.html}, {@code console.js}, …). */
  public Optional<File> get(String name) {
    return Optional.ofNullable(files.get(name));
  }

  public boolean isEmpty() {
    return files.isEmpty();
  }

  /** Blocking: reads the jar. No console in it (a build without one) is an empty set. */
  static ConsoleFiles load() {
    byte[] list = read("files.txt");
    Map<String, File> files = new LinkedHashMap<>();
    if (list == null) {
      return new ConsoleFiles(files);
    }
    for (String name : new String(list, StandardCharsets.UTF_8).split("\n")) {
      String trimmed = name.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      byte[] bytes = read(trimmed);
      if (bytes == null) {
        throw new IllegalStateException("the console's " + trimmed + " is missing from the jar");
      }
      files.put(
          trimmed,
          new File(
              contentType(trimmed), Buffer.buffer(bytes), Buffer.buffer(gzip(bytes)), etag(bytes)));
    }
    return new ConsoleFiles(files);
  }

  static String contentType(String name) {
    if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    if (name.endsWith(".svg")) {
      return "image/svg+xml";
    }
    if (name.endsWith(".png")) {
      return "image/png";
    }
    return "application/octet-stream";
  }

  private static byte[] read(String name) {
    try (InputStream in = ConsoleFiles.class.getResourceAsStream(ROOT + name)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
