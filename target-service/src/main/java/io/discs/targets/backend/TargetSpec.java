package io.discs.targets.backend;

import io.discs.platform.targets.DeviceType;
import io.discs.targets.chap.ChapCredentials;
import java.nio.file.Path;

/**
 * One read-only target for one initiator.
 *
 * @param mutualChap null unless the initiator also authenticates the target
 */
public record TargetSpec(
    String iqn,
    Path backingFile,
    DeviceType deviceType,
    String initiatorIqn,
    ChapCredentials chap,
    ChapCredentials mutualChap) {

  /** A CHAP user and secret; the secret never appears in {@link #toString()}. */
}
