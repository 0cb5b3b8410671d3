package io.discs.targets.backend;

import io.discs.platform.targets.DeviceType;
import io.vertx.core.Future;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The port every iSCSI backend implements. Read-only is not an option here: each backend enforces
 * it. Operations are idempotent: creating what exists as specified, or deleting what is gone,
 * succeeds.
 */
public interface IscsiService {

  /** Short name for logs and metrics: {@code embedded}, {@code tgt}, {@code lio}. */
  String name();

  /** The LUN initiators read the image at. */
  default int lun() {
    return 1;
  }

  /** The device types this backend can present; a request for another is refused (422). */
  default Set<DeviceType> deviceTypes() {
    return EnumSet.allOf(DeviceType.class);
  }

  Future<Void> create(TargetSpec spec);

  /** Drives whose disc changes while they live, where this backend can make them. */
  default java.util.Optional<DiscChanger> discChanger() {
    return java.util.Optional.empty();
  }

  Future<Void> delete(String iqn);

  /** What really exists on the backend, for reconciliation. */
  Future<List<BackendTarget>> list();

  /** Initiators logged in to one target. */
  Future<List<InitiatorSession>> sessions(String iqn);
}
