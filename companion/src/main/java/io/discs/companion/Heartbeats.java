package io.discs.companion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a session's lease until told to stop. A beat that does not reach the server is retried with
 * back-off (1, 2, 4 … seconds, never longer than the interval); an answer that the session is over
 * (410) ends the loop, with exit code 0 when someone ended it on purpose and {@link
 * MountCommand#SESSION_LOST} when the server let it go (lease lapsed, target removed).
 */
final class Heartbeats {
  private final ApiClient api;
  private final MountedSession session;
  private final Integer maxBeats;
  private final PrintWriter out;
  private final PrintWriter err;

  Heartbeats(
      ApiClient api, MountedSession session, Integer maxBeats, PrintWriter out, PrintWriter err) {
    this.api = api;
    this.session = session;
    this.maxBeats = maxBeats;
    this.out = out;
    this.err = err;
  }

  int run(CountDownLatch stop) throws InterruptedException {
    long intervalMs = session.heartbeatIntervalSeconds() * 1000L;
    long waitMs = intervalMs;
    long backoffMs = 1000;
    int beats = 0;
    while (!stop.await(waitMs, TimeUnit.MILLISECONDS)) {
      try {
        api.post(ApiPaths.heartbeat(session.id()), null);
        waitMs = intervalMs;
        backoffMs = 1000;
      } catch (CompanionException e) {
        if (e.httpStatus() == ApiStatus.GONE) {
          return over();
        }
        if (!e.isTransient()) {
          err.println(
              "discs-companion: heartbeat refused ("
                  + Printable.of(e.getMessage())
                  + "); detaching");
          err.flush();
          return MountCommand.SESSION_LOST;
        }
        err.println(
            "discs-companion: heartbeat failed ("
                + Printable.of(e.getMessage())
                + "); retrying in "
                + backoffMs / 1000
                + " s");
        err.flush();
        waitMs = backoffMs;
        backoffMs = Math.min(backoffMs * 2, intervalMs);
        continue;
      }
      beats++;
      if (maxBeats != null && beats >= maxBeats) {
        return 0;
      }
    }
    return 0;
  }

  /**
   * Why the server let the session go, in the words its state (and reason) gives. A session whose
   * heartbeat was refused may not show its end yet: asked again for a few seconds.
   */
  private int over() throws InterruptedException {
    JsonNode found = sessionOnServer();
    for (int tries = 0; tries < 5 && "ACTIVE".equals(found.path("state").asText()); tries++) {
      Thread.sleep(1_000);
      found = sessionOnServer();
    }
    String state = found.path("state").asText(null);
    if ("ENDED".equals(state)) {
      // The server names who ended it when it was not its owner (an operator, from the console).
      String by = found.path("reason").asText("");
      out.println(
          "session "
              + Printable.of(session.id())
              + " was "
              + (by.isEmpty() ? "ended elsewhere" : Printable.of(by))
              + "; detaching");
      out.flush();
      return 0;
    }
    String reason = found.path("reason").asText("");
    String why =
        !reason.isEmpty()
            ? reason
            : switch (state == null ? "" : state) {
              case "EXPIRED" -> "its lease lapsed before a heartbeat got through";
              case "FAILED" -> "the server removed its target";
              default -> "the server no longer has it";
            };
    err.println(
        "discs-companion: session "
            + Printable.of(session.id())
            + " was lost ("
            + Printable.of(why)
            + "); detaching");
    err.flush();
    return MountCommand.SESSION_LOST;
  }

  /** The session as the server lists it; a missing node when it cannot be had. */
  private JsonNode sessionOnServer() {
    try {
      for (JsonNode candidate : api.get(ApiPaths.SESSIONS).path("items")) {
        if (candidate.path("id").asText().equals(session.id())) {
          return candidate;
        }
      }
    } catch (CompanionException e) {
      return MissingNode.getInstance();
    }
    return MissingNode.getInstance();
  }
}
