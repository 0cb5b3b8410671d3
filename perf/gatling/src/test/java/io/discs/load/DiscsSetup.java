package io.discs.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a scenario needs before its load starts, made through the public API as an operator would:
 * users, their tokens, an image. Plain JDK HTTP, once, outside the measured part.
 */
final class DiscsSetup {
  static final String URL = System.getProperty("discs.url", "http://127.0.0.1:8080");
  static final String API = URL + "/api/v1";
  private static final String ADMIN_PASSWORD = System.getProperty("discs.adminPassword", "");
  private static final Pattern FIELD = Pattern.compile("\"(access_token|id)\"\\s*:\\s*\"([^\"]+)\"");

  private final HttpClient client = HttpClient.newHttpClient();
  private final String admin;

  DiscsSetup() {
    admin = token("admin", ADMIN_PASSWORD);
  }

  /** {@code count} users named {@code prefix-N} with the role given, and a token for each. */
  List<String> usersWithTokens(String prefix, int count, String role) {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String name = prefix + "-" + i;
      String password = "load-password-" + i;
      call(
          "POST",
          "/users",
          admin,
          "{\"username\":\"" + name + "\",\"password\":\"" + password + "\",\"roles\":[\"" + role
              + "\"]}",
          201,
          409);
      tokens.add(token(name, password));
    }
    return tokens;
  }

  /** A small, valid ISO 9660 image of its own (the label makes its digest unique). */
  String uploadImage(String name) {
    byte[] iso = TinyIso.labelled(name);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(API + "/images?name=" + name))
            .header("Authorization", "Bearer " + admin)
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(iso))
            .build();
    return field(send(request, 201, 200), "id");
  }

  String token(String user, String password) {
    String body = "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
    return field(call("POST", "/auth/token", null, body, 200), "access_token");
  }

  private String call(String method, String path, String bearer, String json, int... expected) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(API + path))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return send(request.build(), expected);
  }

  private String send(HttpRequest request, int... expected) {
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      for (int status : expected) {
        if (response.statusCode() == status) {
          return response.body();
        }
      }
      throw new IllegalStateException(
          request.method() + " " + request.uri() + " -> " + response.statusCode() + " "
              + response.body());
    } catch (IOException e) {
      throw new IllegalStateException("discs at " + URL + " does not answer: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String field(String json, String name) {
    Matcher m = FIELD.matcher(json);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return m.group(2);
      }
    }
    throw new IllegalStateException("no " + name + " in " + json);
  }

  /** The smallest image discs accepts: a primary volume descriptor and a terminator. */
  static final class TinyIso {
    private static final int SECTOR = 2048;

    static byte[] labelled(String label) {
      int sectors = 64;
      byte[] image = new byte[sectors * SECTOR];
      ByteBuffer pvd = ByteBuffer.wrap(image, 16 * SECTOR, SECTOR);
      pvd.put((byte) 1).put("CD001".getBytes()).put((byte) 1);
      byte[] volumeId = String.format("%-32s", label.toUpperCase().replaceAll("[^A-Z0-9_]", "_"))
          .substring(0, 32).getBytes();
      System.arraycopy(volumeId, 0, image, 16 * SECTOR + 40, 32);
      bothEndian32(image, 16 * SECTOR + 80, sectors);
      bothEndian16(image, 16 * SECTOR + 128, SECTOR);
      int terminator = 17 * SECTOR;
      image[terminator] = (byte) 255;
      System.arraycopy("CD001".getBytes(), 0, image, terminator + 1, 5);
      image[terminator + 6] = 1;
      return image;
    }

    private static void bothEndian32(byte[] b, int at, int value) {
      ByteBuffer.wrap(b, at, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(value);
      ByteBuffer.wrap(b, at + 4, 4).order(ByteOrder.BIG_ENDIAN).putInt(value);
    }

    private static void bothEndian16(byte[] b, int at, int value) {
      ByteBuffer.wrap(b, at, 2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) value);
      ByteBuffer.wrap(b, at + 2, 2).order(ByteOrder.BIG_ENDIAN).putShort((short) value);
    }
  }
}
