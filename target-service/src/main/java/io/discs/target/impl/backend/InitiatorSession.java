package io.discs.target.impl.backend;

/** An initiator logged in to a target, and from where. */
public record InitiatorSession(String initiatorIqn, String address) {
}
