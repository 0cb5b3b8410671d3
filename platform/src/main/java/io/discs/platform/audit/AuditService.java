package io.discs.platform.audit;

import io.vertx.codegen.annotations.ProxyGen;
import io.vertx.codegen.annotations.VertxGen;
import io.vertx.core.Future;
import java.util.List;

/** The append-only audit log, fed by domain events. */
@ProxyGen
@VertxGen
public interface AuditService {

  Future<List<AuditEntry>> query(AuditQuery query);

  /** Recomputes every row's hash and link; names the first row that does not match. */
  Future<AuditVerification> verify();
}
