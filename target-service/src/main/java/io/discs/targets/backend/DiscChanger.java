package io.discs.targets.backend;

import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What a backend that keeps a drive while its disc changes offers (the embedded target only: tgt
 * swaps a LUN's file only offline and queues no unit attention, LIO has no CD emulation). A drive
 * is a target made by {@link #createDrive}, empty until {@link #insert}.
 */
public interface DiscChanger {

  /** What an eject came to. */
  enum Ejection {
    EJECTED,
    ALREADY_EMPTY,
    /** An initiator locks the disc in (PREVENT MEDIUM REMOVAL): it was asked to let go. */
    REFUSED_LOCKED
  }

  /** A drive with no disc in; {@code spec}'s backing file is not read. */
  Future<Void> createDrive(TargetSpec spec);

  /** Puts the image in {@code file} in, in place of any disc: every session hears of it. */
  Future<Void> insert(String iqn, Path file);

  Future<Ejection> eject(String iqn, boolean force);

  /** Whether the drive has a disc in now (an initiator may have ejected it). */
  boolean hasDisc(String iqn);

  /**
   * Told (on the event loop) the iqn of a drive an initiator emptied (START STOP UNIT, eject), as
   * it does without asking discs: the disc waits in the open tray until a reload or a change.
   */
  void onEmptied(Consumer<String> listener);

  /**
   * Told (on the event loop) the iqn of a drive whose initiator closed the tray with the disc it
   * had ejected back in (START STOP UNIT, load).
   */
  void onReloaded(Consumer<String> listener);
}
