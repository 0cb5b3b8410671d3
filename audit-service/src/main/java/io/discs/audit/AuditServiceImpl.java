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

  AuditServiceImpl(AuditRepository repository) {
    this.repository = repository;
  }

  @Override
  public Future<List<AuditEntry>> query(AuditQuery query) {
    return repository.query(query);
  }

  @Override
  public Future<AuditVerification> verify() {
    return repository.verify();
  }
}
