package io.discs.targets.embedded.iscsi;

import io.discs.targets.backend.InitiatorSession;
import io.discs.targets.backend.TargetSpec;
import io.discs.targets.embedded.backing.BlockSource;
import io.discs.targets.embedded.scsi.ScsiDevice;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** One target of the embedded backend: its spec, its read-only LUN 0, and who is logged in. */
final class EmbeddedTarget {
  private final TargetSpec spec;
  private final BlockSource source;
  private final ScsiDevice device;
  private final Set<IscsiConnection> connections = ConcurrentHashMap.newKeySet();

  EmbeddedTarget(TargetSpec spec, BlockSource source, ScsiDevice device) {
    this.spec = spec;
    this.source = source;
    this.device = device;
  }

  TargetSpec spec() {
    return spec;
  }

  BlockSource source() {
    return source;
  }

  ScsiDevice device() {
    return device;
  }

  boolean admits(String initiator) {
    return spec.initiatorIqn().equals(initiator);
  }

  void attach(IscsiConnection connection) {
    connections.add(connection);
  }

  void detach(IscsiConnection connection) {
    connections.remove(connection);
  }

  List<InitiatorSession> sessions() {
    return connections.stream()
        .map(c -> new InitiatorSession(c.initiatorName(), c.remoteAddress()))
        .toList();
  }

  /**
   * Deleting a target ends its sessions at once; the caller releases the file off the event loop.
   */
  void endSessions() {
    connections.forEach(IscsiConnection::close);
  }
}
