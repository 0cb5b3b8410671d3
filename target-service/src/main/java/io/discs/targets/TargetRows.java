package io.discs.targets;

import io.discs.platform.targets.DeviceType;
import io.discs.targets.chap.ChapCredentials;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The targets this service wants, the truth the backend is reconciled against (PostgreSQL's {@link
 * TargetRepository} in production).
 */
interface TargetRows {

  /**
   * A row, with what the backend needs to (re)create it; {@code chap} and {@code mutualChap} only
   * when read opened (this node's own rows), null otherwise.
   */
  record StoredTarget(
      UUID id,
      String iqn,
      UUID imageId,
      String sha256,
      String initiatorIqn,
      DeviceType deviceType,
      ChapCredentials chap,
      ChapCredentials mutualChap,
      Instant createdAt,
      String createdBy,
      NodeIdentity node,
      boolean drive) {
    boolean servedBy(NodeIdentity self) {
      return self.equals(node);
    }

    /** This row with another disc in (a drive's), or none when {@code imageId} is null. */
    StoredTarget withDisc(UUID imageId, String sha256) {
      return new StoredTarget(
          id,
          iqn,
          imageId,
          sha256,
          initiatorIqn,
          deviceType,
          chap,
          mutualChap,
          createdAt,
          createdBy,
          node,
          drive);
    }
  }

  /** Every node's rows, CHAP secrets left sealed (another node's open only with its key). */
  Future<List<StoredTarget>> list();

  /** The rows this start of this node serves, CHAP secrets open. */
  Future<List<StoredTarget>> on(NodeIdentity node);

  /** The same rows with their CHAP secrets left sealed: for what needs no secret. */
  Future<List<StoredTarget>> sealedOn(NodeIdentity node);

  /**
   * Removes the rows of this node's earlier starts (and rows that name no node, from before nodes
   * had names): their targets died with that process. Answers what it removed.
   */
  Future<List<StoredTarget>> forgetEarlierStarts(NodeIdentity node);

  /** Removes the rows of one start of a node (another node, lost); answers what it removed. */
  Future<List<StoredTarget>> forgetStart(NodeIdentity node);

  Future<Optional<StoredTarget>> get(UUID id);

  Future<Boolean> servesImage(UUID imageId);

  Future<Void> insert(StoredTarget target);

  /** Whether there was such a row. */
  Future<Boolean> delete(UUID id);

  /**
   * A drive's disc, {@code imageId} null for none, if the row still has {@code expected} in (null:
   * empty); answers whether it changed it. Of two changes at once, one wins and says so.
   */
  Future<Boolean> changeDisc(UUID id, UUID expected, UUID imageId, String sha256);

  Future<Long> countOn(NodeIdentity node);
}
