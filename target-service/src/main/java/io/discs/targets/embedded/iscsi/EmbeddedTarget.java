package io.discs.targets.embedded.iscsi;

import io.discs.targets.backend.InitiatorSession;
import io.discs.targets.backend.TargetSpec;
import io.discs.targets.embedded.backing.BlockSource;
import io.discs.targets.embedded.scsi.Drive;
import io.discs.targets.embedded.scsi.ScsiDevice;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One target of the embedded backend: its spec, its read-only LUN 0 (one image for good, or a
 * {@link Drive} whose disc changes), and who is logged in.
 *
 * <p>A target is made for one mount of one person, so it keeps at most {@link #MAX_SESSIONS}
 * sessions (each of one connection: MaxConnections=1). An initiator uses one; the second lets the
 * same machine come back under a new ISID (after a crash, a network change, an iscsid restart)
 * before the first connection is known to be dead. A login with the ISID of a live session replaces
 * that session (session reinstatement, RFC 7143 section 6.3.5). Without the cap, the session's own
 * CHAP could log in again and again, each connection holding its queued Data-In.
 */
final class EmbeddedTarget {
  static final int MAX_SESSIONS = 2;

  /** What a login that has authenticated may do to the target's sessions. */
  enum Admission {
    ADMITTED,
    /** A live session of the same ISID was ended in its favour. */
    REINSTATED,
    /** {@link #MAX_SESSIONS} sessions are logged in already: refused. */
    FULL
  }

  private final TargetSpec spec;
  private final BlockSource source;
  private final ScsiDevice device;
  private final Drive<BlockSource> drive;
  // Guarded by this: logins come in on several event loops.
  private final Map<IscsiConnection, String> sessions = new LinkedHashMap<>();

  EmbeddedTarget(TargetSpec spec, BlockSource source, ScsiDevice device) {
    this.spec = spec;
    this.source = source;
    this.device = device;
    this.drive = null;
  }

  /** A target whose LUN is a drive: its disc is inserted and ejected while sessions stay. */
  EmbeddedTarget(TargetSpec spec, Drive<BlockSource> drive) {
    this.spec = spec;
    this.source = null;
    this.device = null;
    this.drive = drive;
  }

  TargetSpec spec() {
    return spec;
  }

  /** The image served now (a drive's disc, or null while it is empty). */
  BlockSource source() {
    return drive == null ? source : drive.disc();
  }

  /** The drive, or null for a target of one image. */
  Drive<BlockSource> drive() {
    return drive;
  }

  /** One command of the session {@code nexus}, and the image a read of it is made from. */
  Drive.Executed<BlockSource> execute(String nexus, byte[] cdb) {
    return drive == null
        ? new Drive.Executed<>(device.execute(cdb), source)
        : drive.execute(nexus, cdb);
  }

  boolean admits(String initiator) {
    return spec.initiatorIqn().equals(initiator);
  }

  /** Takes a connection that has authenticated as a session of this target, or refuses it. */
  Admission admit(IscsiConnection connection, byte[] isid) {
    String key = HexFormat.of().formatHex(isid);
    IscsiConnection replaced = null;
    synchronized (this) {
      for (Map.Entry<IscsiConnection, String> session : sessions.entrySet()) {
        if (session.getValue().equals(key)) {
          replaced = session.getKey();
          break;
        }
      }
      if (replaced != null) {
        sessions.remove(replaced);
      } else if (sessions.size() >= MAX_SESSIONS) {
        return Admission.FULL;
      }
      sessions.put(connection, key);
      if (drive != null) {
        drive.attach(key);
      }
    }
    if (replaced != null) {
      replaced.close();
      return Admission.REINSTATED;
    }
    return Admission.ADMITTED;
  }

  /** Whether a logged-in session has this TSIH (a login that asks to join it is refused). */
  synchronized boolean hasSession(int tsih) {
    return sessions.keySet().stream().anyMatch(c -> c.tsih() == tsih);
  }

  synchronized void detach(IscsiConnection connection) {
    String key = sessions.remove(connection);
    if (key != null && drive != null && !sessions.containsValue(key)) {
      drive.detach(key);
    }
  }

  synchronized List<InitiatorSession> sessions() {
    return sessions.keySet().stream()
        .map(c -> new InitiatorSession(c.initiatorName(), c.remoteAddress()))
        .toList();
  }

  /**
   * Deleting a target ends its sessions at once; the caller releases the file off the event loop.
   */
  void endSessions() {
    List<IscsiConnection> ending;
    synchronized (this) {
      ending = new ArrayList<>(sessions.keySet());
    }
    ending.forEach(IscsiConnection::close);
  }
}
