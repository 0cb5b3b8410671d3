package io.discs.gateway.auth;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tokens whose ES256 signature and claims were already checked, until they expire. Checking a P-256
 * signature costs about 3 ms of CPU; a companion heartbeating every 30 s sends the same token for
 * its whole life, so each is checked once. Bounded: past {@link #MAX_ENTRIES} the expired go, and
 * if that is not enough, all (they are checked again on their next use). Revocation is not cached
 * here: it is asked on every request.
 */
final class VerifiedTokens {
  static final int MAX_ENTRIES = 20_000;

  private record Entry(TokenService.Identity identity, long expiresAtMs) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  Optional<TokenService.Identity> find(String token, long nowMs) {
    Entry entry = entries.get(token);
    if (entry == null) {
      return Optional.empty();
    }
    if (entry.expiresAtMs() <= nowMs) {
      entries.remove(token);
      return Optional.empty();
    }
    return Optional.of(entry.identity());
  }

  void remember(String token, TokenService.Identity identity, long expiresAtMs, long nowMs) {
    if (entries.size() >= MAX_ENTRIES) {
      entries.values().removeIf(e -> e.expiresAtMs() <= nowMs);
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear();
      }
    }
    entries.put(token, new Entry(identity, expiresAtMs));
  }
}
