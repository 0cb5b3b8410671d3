package io.discs.target.impl.backend;

import io.discs.platform.error.DomainErrors;
import io.vertx.core.Future;
import java.util.List;

/** A backend this build cannot drive yet: lists nothing, refuses to create with a clear 501. */
public final class UnavailableBackend implements IscsiService {
  private final String name;

  public UnavailableBackend(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Future<Void> create(TargetSpec spec) {
    return Future.failedFuture(DomainErrors.notImplemented("the " + name + " iSCSI backend"));
  }

  @Override
  public Future<Void> delete(String iqn) {
    return Future.succeededFuture();
  }

  @Override
  public Future<List<BackendTarget>> list() {
    return Future.succeededFuture(List.of());
  }

  @Override
  public Future<List<InitiatorSession>> sessions(String iqn) {
    return Future.succeededFuture(List.of());
  }
}
