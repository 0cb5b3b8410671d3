package io.discs.audit;

import io.discs.platform.audit.AuditEntry;
import io.discs.platform.audit.AuditQuery;
import io.discs.platform.audit.AuditService;
import io.discs.platform.audit.AuditVerification;
import io.vertx.core.Future;
import java.util.List;

/** Answers audit queries from the database. */
final class AuditServiceImpl implements AuditService {
  private final AuditRepository repository;
  private final AuditVerifier verifier;

  AuditServiceImpl(AuditRepository repository, AuditVerifier verifier) {
    this.repository = repository;
    this.verifier = verifier;
  }

  @Override
  public Future<List<AuditEntry>> query(AuditQuery query) {
    return repository.query(query);
  }

  @Override
  public Future<AuditVerification> verify() {
    return verifier.verify();
  }
}
