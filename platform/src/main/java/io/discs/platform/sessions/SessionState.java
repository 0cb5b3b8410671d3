package io.discs.platform.sessions;

/**
 * PREPARING while its target node fetches the image and makes the target (a session started with
 * {@code Prefer: respond-async}); ACTIVE until the owner ends it, its lease lapses, or its target
 * could not be made. In the database a preparing session is an ACTIVE row without a target yet: it
 * counts toward the owner's sessions, keeps its image in use, and ends as an active one does.
 */
public enum SessionState {
  PREPARING,
  ACTIVE,
  ENDED,
  EXPIRED,
  FAILED
}
