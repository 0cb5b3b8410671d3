package io.discs.sessions;

/** The parts of the configuration sessions need. */
record SessionSettings(int maxSessionsPerUser, int heartbeatSeconds, String portal) {}
