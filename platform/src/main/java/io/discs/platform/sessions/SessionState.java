package io.discs.platform.sessions;

/** ACTIVE until the owner ends it, its lease lapses, or its target could not be made. */
public enum SessionState {
  ACTIVE,
  ENDED,
  EXPIRED,
  FAILED
}
