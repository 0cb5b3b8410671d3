package io.discs.audit;

import io.discs.audit.seal.AuditKey;
import io.discs.audit.seal.CheckpointFile;
import io.discs.platform.audit.AuditVerification;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.List;

/**
 * Checks the audit log three ways: the database's SHA-256 chain (content and links), the keyed
 * seals (a history rewritten and re-chained by someone without the key), and the last signed
 * checkpoint outside the database (rows cut off the end).
 */
final class AuditVerifier {
  private static final int PAGE = 2_000;

  private final AuditRepository repository;
  private final AuditKey key;
  private final CheckpointFile checkpoints;
  private final WorkerExecutor worker;

  AuditVerifier(
      AuditRepository repository, AuditKey key, CheckpointFile checkpoints, WorkerExecutor worker) {
    this.repository = repository;
    this.key = key;
    this.checkpoints = checkpoints;
    this.worker = worker;
  }

  Future<AuditVerification> verify() {
    return repository
        .verifyHashes()
        .compose(
            hashes ->
                !hashes.isIntact()
                    ? Future.succeededFuture(hashes)
                    : walk(new Walk(0, AuditKey.origin(), false, 0, null, null))
                        .compose(
                            walked ->
                                walked.brokenId() != null
                                    ? Future.succeededFuture(
                                        AuditVerification.broken(
                                            walked.checked(), walked.brokenId(), walked.reason()))
                                    : againstCheckpoint(walked.checked())));
  }

  /** Where a walk of the seals stands after some pages. */
  private record Walk(
      long afterId,
      String previousSeal,
      boolean sealedSeen,
      long checked,
      Long brokenId,
      String reason) {}

  private Future<Walk> walk(Walk at) {
    return repository
        .sealedPage(at.afterId(), PAGE)
        .compose(
            page ->
                page.isEmpty()
                    ? Future.succeededFuture(at)
                    : worker
                        .executeBlocking(() -> check(at, page), false)
                        .compose(
                            next ->
                                next.brokenId() != null || page.size() < PAGE
                                    ? Future.succeededFuture(next)
                                    : walk(next)));
  }

  /** HMACs are CPU work: a page at a time, on a worker. */
  private Walk check(Walk at, List<AuditRepository.SealedRow> page) {
    String previous = at.previousSeal();
    boolean sealedSeen = at.sealedSeen();
    long checked = at.checked();
    for (AuditRepository.SealedRow row : page) {
      checked++;
      if (row.seal() == null) {
        if (sealedSeen) {
          return new Walk(
              row.id(),
              previous,
              true,
              checked,
              row.id(),
              "it has no seal: it was not written by audit-service (inserted by hand, or with"
                  + " the log's triggers disabled)");
        }
        // Rows from before seals existed: covered by the SHA-256 chain only.
        continue;
      }
      String expected = key.seal(previous, row.hash());
      if (!expected.equals(row.seal())) {
        return new Walk(
            row.id(),
            previous,
            true,
            checked,
            row.id(),
            "its seal does not match: the rows before it were changed, removed or re-chained"
                + " by someone without the audit key");
      }
      previous = row.seal();
      sealedSeen = true;
    }
    return new Walk(page.get(page.size() - 1).id(), previous, sealedSeen, checked, null, null);
  }

  private Future<AuditVerification> againstCheckpoint(long checked) {
    return worker
        .executeBlocking(checkpoints::latest, false)
        .compose(
            latest -> {
              if (latest instanceof CheckpointFile.Latest.Forged forged) {
                return Future.succeededFuture(
                    AuditVerification.broken(
                        checked,
                        0,
                        "the checkpoint file was edited: line "
                            + forged.line()
                            + " does not carry a valid signature"));
              }
              if (!(latest instanceof CheckpointFile.Latest.Valid valid)) {
                return Future.succeededFuture(AuditVerification.intact(checked));
              }
              var checkpoint = valid.checkpoint();
              return Future.all(repository.head(), repository.sealOf(checkpoint.headId()))
                  .map(
                      both -> {
                        AuditRepository.Head head = both.resultAt(0);
                        String sealThere = both.resultAt(1);
                        if (checkpoint.headSeal().equals(sealThere)
                            && head.sealed() >= checkpoint.rows()) {
                          return AuditVerification.intact(checked);
                        }
                        return AuditVerification.broken(
                            checked,
                            checkpoint.headId(),
                            "the log no longer reaches the checkpoint of "
                                + checkpoint.at()
                                + " ("
                                + checkpoint.rows()
                                + " sealed rows up to row "
                                + checkpoint.headId()
                                + "; now "
                                + head.sealed()
                                + " up to row "
                                + head.id()
                                + "): rows were cut off its end");
                      });
            });
  }
}
