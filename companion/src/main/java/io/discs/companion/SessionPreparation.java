package io.discs.companion;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A session the server answered at once ({@code PREPARING}: its target node is fetching the image):
 * followed until it is {@code ACTIVE}, with the fetch's progress on one line and heartbeats so its
 * lease holds meanwhile. A session that fails says why; one the person gives up on (Ctrl-C) is
 * ended, so nothing is left on the server.
 */
final class SessionPreparation {
  private static final long POLL_MS = 1_000;
  private static final long MIB = 1 << 20;

  private final ApiClient api;
  private final PrintWriter err;
  private final CountDownLatch stop;

  /**
   * @param stop counted down when the person stops the command (Ctrl-C): the session is then ended
   */
  SessionPreparation(ApiClient api, PrintWriter err, CountDownLatch stop) {
    this.api = api;
    this.err = err;
    this.stop = stop;
  }

  /** The session once it is active (with its target and CHAP), however it was answered. */
  JsonNode awaitActive(JsonNode started) {
    if (!"PREPARING".equals(started.path("state").asText())) {
      return started;
    }
    String id = started.path("id").asText();
    long beatEveryMs = Math.max(1, started.path("heartbeatIntervalSeconds").asLong(30)) * 1_000;
    long sinceBeatMs = 0;
    boolean done = false;
    try {
      JsonNode now = started;
      String shown = "";
      while ("PREPARING".equals(now.path("state").asText())) {
        String line = progress(now.path("preparing"));
        if (!line.equals(shown)) {
          err.print("\r" + line);
          err.flush();
          shown = line;
        }
        if (stop.await(POLL_MS, TimeUnit.MILLISECONDS)) {
          err.println();
          throw new CompanionException(
              "stopped while the disc was prepared; the session is ended", 130);
        }
        sinceBeatMs += POLL_MS;
        if (sinceBeatMs >= beatEveryMs) {
          api.post(ApiPaths.heartbeat(id), null);
          sinceBeatMs = 0;
        }
        now = api.get(ApiPaths.session(id));
      }
      if (!shown.isEmpty()) {
        err.println();
      }
      String state = now.path("state").asText();
      if (!"ACTIVE".equals(state)) {
        done = true; // the server ended it already
        String reason = now.path("reason").asText("");
        throw new CompanionException(
            "the session "
                + state.toLowerCase(java.util.Locale.ROOT)
                + " while its disc was prepared"
                + (reason.isEmpty() ? "" : ": " + Printable.of(reason)));
      }
      done = true;
      return now;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CompanionException("interrupted while the disc was prepared", 130);
    } finally {
      if (!done) {
        endQuietly(id);
      }
    }
  }

  private static String progress(JsonNode preparing) {
    long total = preparing.path("totalBytes").asLong(0);
    if (total <= 0) {
      return "preparing the disc on the target node…";
    }
    long fetched = preparing.path("fetchedBytes").asLong(0);
    return String.format(
        "preparing the disc on the target node: %d of %d MiB (%d%%)",
        fetched / MIB, total / MIB, fetched * 100 / total);
  }

  private void endQuietly(String id) {
    try {
      api.delete(ApiPaths.session(id));
    } catch (CompanionException ignored) {
      // the lease lapses without heartbeats; the server removes the session then
    }
  }
}
