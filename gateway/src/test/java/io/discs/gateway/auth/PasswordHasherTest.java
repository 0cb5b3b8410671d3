package io.discs.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
  private final PasswordHasher hasher = new PasswordHasher();

  @Test
  void storesAPbkdf2HashWithItsOwnSaltAndTheOwaspIterationCount() {
    String first = hasher.hash("correct horse battery staple");
    String second = hasher.hash("correct horse battery staple");

    assertThat(first).startsWith("pbkdf2-sha256$600000$").doesNotContain("correct");
    assertThat(first).isNotEqualTo(second);
    assertThat(hasher.matches("correct horse battery staple", first)).isTrue();
    assertThat(hasher.matches("correct horse battery staple", second)).isTrue();
  }

  @Test
  void rejectsAWrongPasswordAndAnyMalformedStoredValue() {
    String stored = hasher.hash("correct horse battery staple");

    assertThat(hasher.matches("correct horse battery stapler", stored)).isFalse();
    assertThat(hasher.matches("x", "")).isFalse();
    assertThat(hasher.matches("x", "md5$1$abc$def")).isFalse();
    assertThat(hasher.matches("x", "pbkdf2-sha256$notanumber$abc$def")).isFalse();
    assertThat(hasher.matches("x", "pbkdf2-sha256$1000$@@@$def")).isFalse();
  }
}
