package io.discs.companion;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The block device the kernel made for a logged-in LUN, and udev's stable link to it when there is
 * one.
 */
record AttachedDevice(Path node, Optional<Path> byPath) {}
