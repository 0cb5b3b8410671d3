package io.discs.targets;

import io.discs.platform.targets.DeviceType;
import io.discs.targets.backend.BackendTarget;
import io.discs.targets.backend.InitiatorSession;
import io.discs.targets.backend.IscsiService;
import io.discs.targets.backend.TargetSpec;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/** Times every backend operation and counts its failures, by backend and operation. */
final class MeteredIscsiService implements IscsiService {
  private final IscsiService delegate;
  private final MeterRegistry registry;

  MeteredIscsiService(IscsiService delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.registry = registry;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public int lun() {
    return delegate.lun();
  }

  @Override
  public Set<DeviceType> deviceTypes() {
    return delegate.deviceTypes();
  }

  @Override
  public Future<Void> create(TargetSpec spec) {
    return timed("create", () -> delegate.create(spec));
  }

  @Override
  public java.util.Optional<io.discs.targets.backend.DiscChanger> discChanger() {
    return delegate.discChanger();
  }

  @Override
  public Future<Void> delete(String iqn) {
    return timed("delete", () -> delegate.delete(iqn));
  }

  @Override
  public Future<List<BackendTarget>> list() {
    return timed("list", delegate::list);
  }

  @Override
  public Future<List<InitiatorSession>> sessions(String iqn) {
    return timed("sessions", () -> delegate.sessions(iqn));
  }

  private <T> Future<T> timed(String operation, Supplier<Future<T>> call) {
    Timer.Sample sample = Timer.start(registry);
    return call.get()
        .andThen(
            result -> {
              sample.stop(
                  registry.timer(
                      "discs.iscsi.backend.operation",
                      "backend",
                      delegate.name(),
                      "operation",
                      operation));
              if (result.failed()) {
                registry
                    .counter(
                        "discs.iscsi.backend.failures",
                        "backend",
                        delegate.name(),
                        "operation",
                        operation)
                    .increment();
              }
            });
  }
}
