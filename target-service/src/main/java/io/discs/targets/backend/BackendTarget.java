package io.discs.targets.backend;

import java.util.List;

/** A target as the backend reports it. */
public record BackendTarget(
    String iqn,
    List<String> allowedInitiators,
    List<String> chapUsers,
    boolean readOnly,
    List<InitiatorSession> sessions) {
  public BackendTarget {
    allowedInitiators = List.copyOf(allowedInitiators);
    chapUsers = List.copyOf(chapUsers);
    sessions = List.copyOf(sessions);
  }
}
