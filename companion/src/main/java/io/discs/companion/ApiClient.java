package io.discs.companion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;

/** The gateway's HTTP API, with every failure turned into one readable line. */
final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;
  private final String server;
  private final String token;

  /**
   * @param ca a PEM file of the certificates to trust for https, or null for the JDK's CAs
   */
  ApiClient(String server, String token, Path ca) {
    this.server = server.replaceAll("/+$", "");
    this.token = token;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (ca != null) {
      builder.sslContext(TrustedCa.from(ca));
    }
    this.http = builder.build();
  }

  JsonNode get(String path) {
    return send(request(path).GET());
  }

  JsonNode post(String path, Object body) {
    return post(request(path), body);
  }

  /**
   * A POST that takes an answer at once ({@code Prefer: respond-async}): a server that works on it
   * says 202 and where to follow it; one that does not answers as to {@link #post}.
   */
  JsonNode postRespondingAsync(String path, Object body) {
    return post(request(path).header("Prefer", "respond-async"), body);
  }

  private JsonNode post(HttpRequest.Builder request, Object body) {
    try {
      return send(
          request
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      body == null ? "{}" : JSON.writeValueAsString(body))));
    } catch (IOException e) {
      throw new CompanionException("cannot encode the request: " + e.getMessage());
    }
  }

  void delete(String path) {
    send(request(path).DELETE());
  }

  /**
   * A request to {@code path} with the token, for callers that read status and headers themselves
   * (the tus protocol); send it with {@link #exchange}.
   */
  HttpRequest.Builder request(String path) {
    URI uri;
    try {
      uri = URI.create(server + path);
    } catch (IllegalArgumentException e) {
      throw new CompanionException("the server URL '" + server + "' is not valid", 2);
    }
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder;
  }

  /** Sends without judging the status; a failure to reach the server is a CompanionException. */
  HttpResponse<String> exchange(HttpRequest.Builder builder) {
    try {
      return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new CompanionException(
          "server unreachable at " + server + " (is discs running there?)", 3);
    } catch (SSLHandshakeException e) {
      throw new CompanionException(
          "the TLS certificate of "
              + server
              + " is not trusted ("
              + e.getMessage()
              + "); for a private CA or a self-signed server, log in with --ca FILE",
          3);
    } catch (HttpTimeoutException e) {
      throw new CompanionException("the server at " + server + " did not answer in time", 3);
    } catch (IOException e) {
      throw new CompanionException("talking to " + server + " failed: " + e.getMessage(), 3);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompanionException("interrupted", 130);
    }
  }

  private JsonNode send(HttpRequest.Builder builder) {
    HttpResponse<String> response = exchange(builder);
    int status = response.statusCode();
    if (ApiStatus.success(status)) {
      try {
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
      } catch (IOException e) {
        throw new CompanionException("the server answered something that is not JSON");
      }
    }
    throw failure(response);
  }

  /** An answer outside 2xx as the one line the user sees. */
  static CompanionException failure(HttpResponse<String> response) {
    int status = response.statusCode();
    return new CompanionException(
        explain(status, detail(response.body())), status == ApiStatus.UNAUTHORIZED ? 4 : 1, status);
  }

  private static String detail(String body) {
    try {
      return JSON.readTree(body).path("detail").asText("");
    } catch (IOException e) {
      return "";
    }
  }

  static String explain(int status, String detail) {
    String why = detail.isEmpty() ? "" : ": " + detail;
    return switch (status) {
      case ApiStatus.UNAUTHORIZED ->
          "not logged in, or the token expired: run 'discs-companion login' again";
      case ApiStatus.FORBIDDEN -> "your account may not do this" + why;
      case ApiStatus.NOT_FOUND -> "not found" + why;
      case ApiStatus.CONFLICT -> "conflict" + why;
      case ApiStatus.GONE -> "the session is over (ended or expired)" + why;
      case ApiStatus.TOO_MANY_REQUESTS -> "too many at once" + why;
      default -> "the server answered " + status + why;
    };
  }
}
