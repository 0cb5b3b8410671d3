package io.discs.standalone;

/**
 * The test classes that run beside the main sequence (see {@code junit-platform.properties}):
 * clusters of processes and lease expiries that mostly wait for leases and start-ups. They share
 * one lock, so at most one of them runs at a time, beside at most one other class.
 */
final class SideLane {
  /** The lock the side lane's classes hold while they run. */
  static final String WAITING_CLUSTERS = "discs.side-lane.waiting-clusters";

  private SideLane() {}
}
