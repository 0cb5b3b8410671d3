package io.discs.targets.backend;

/** An initiator logged in to a target, and from where. */
public record InitiatorSession(String initiatorIqn, String address) {}
