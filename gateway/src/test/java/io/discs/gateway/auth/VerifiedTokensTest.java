package io.discs.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.discs.platform.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {
  private final VerifiedTokens verified = new VerifiedTokens();
  private final TokenService.Identity alice =
      new TokenService.Identity("alice", List.of(Role.USER), 1_000, 10_000, "jti-1");

  @Test
  @org.junit.jupiter.api.Tag("security")
  void answersAVerifiedTokenUntilItExpires() {
    verified.remember("token-a", alice, alice.expiresAtMs(), 2_000);
    io.discs.testing.security.SecurityReport.record(
        "Every authenticated request verifies ES256 from scratch",
        "the same token presented again before it expires",
        "answered from the cache of verified tokens, no signature check (perf/RESULTS.md: authenticated GET 672 → 5,455 req/s)",
        verified.find("token-a", 9_999).isPresent() ? "answered from the cache" : "not cached");
    assertThat(verified.find("token-a", 9_999)).contains(alice);
    assertThat(verified.find("token-a", 10_000)).isEmpty();
    assertThat(verified.find("token-a", 5_000)).as("an expired entry is gone").isEmpty();
    assertThat(verified.find("token-b", 5_000)).isEmpty();
  }

  @Test
  void staysBoundedDroppingTheExpiredFirst() {
    for (int i = 0; i < VerifiedTokens.MAX_ENTRIES; i++) {
      verified.remember("old-" + i, alice, 3_000, 2_000);
    }
    verified.remember("fresh", alice, 50_000, 4_000);

    assertThat(verified.find("fresh", 4_000)).contains(alice);
    assertThat(verified.find("old-1", 2_500)).as("expired entries made room").isEmpty();
  }
}
