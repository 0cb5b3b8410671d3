package io.discs.targets;

import io.discs.platform.targets.DeviceType;
import io.discs.targets.backend.BackendTarget;
import io.discs.targets.backend.InitiatorSession;
import io.discs.targets.backend.IscsiService;
import io.discs.targets.backend.TargetSpec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A backend that keeps its targets in a map, as tgtd keeps them in memory: what a target-service
 * made, removed, or was told about, and nothing more. A creation can be held until the test lets it
 * finish, as a slow LIO is.
 */
final class InMemoryBackend implements IscsiService {
  final Map<String, TargetSpec> targets = new ConcurrentHashMap<>();
  private final Set<DeviceType> deviceTypes;
  private volatile Promise<Void> held;
  private volatile RuntimeException failNext;

  InMemoryBackend() {
    this(Set.of(DeviceType.DISK, DeviceType.CDROM));
  }

  InMemoryBackend(Set<DeviceType> deviceTypes) {
    this.deviceTypes = deviceTypes;
  }

  @Override
  public Set<DeviceType> deviceTypes() {
    return deviceTypes;
  }

  /** The next creation fails with {@code failure}, as tgtadm refusing a target does. */
  void failNextCreation(RuntimeException failure) {
    failNext = failure;
  }

  @Override
  public String name() {
    return "memory";
  }

  /** The next creation waits for the promise this answers. */
  Promise<Void> holdNextCreation() {
    Promise<Void> gate = Promise.promise();
    held = gate;
    return gate;
  }

  @Override
  public Future<Void> create(TargetSpec spec) {
    RuntimeException failure = failNext;
    failNext = null;
    if (failure != null) {
      return Future.failedFuture(failure);
    }
    Promise<Void> gate = held;
    held = null;
    Future<Void> ready = gate == null ? Future.succeededFuture() : gate.future();
    return ready.map(
        v -> {
          targets.put(spec.iqn(), spec);
          return null;
        });
  }

  @Override
  public Future<Void> delete(String iqn) {
    targets.remove(iqn);
    return Future.succeededFuture();
  }

  @Override
  public Future<List<BackendTarget>> list() {
    return Future.succeededFuture(
        targets.values().stream()
            .map(
                spec ->
                    new BackendTarget(
                        spec.iqn(),
                        List.of(spec.initiatorIqn()),
                        List.of(spec.chap().user()),
                        true,
                        List.of()))
            .toList());
  }

  @Override
  public Future<List<InitiatorSession>> sessions(String iqn) {
    return Future.succeededFuture(List.of());
  }
}
