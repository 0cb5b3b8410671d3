package io.discs.targets.embedded.backing;

/** Bytes of a stored image file, by path, for the socket to send straight from the page cache. */
public record FileRange(String path, long offset, int length) {}
