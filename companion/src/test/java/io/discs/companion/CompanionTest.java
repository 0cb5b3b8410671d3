package io.discs.companion;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CompanionTest {

  @Test
  void answersHelpAndVersionAndRefusesUnknownOptions() {
    assertThat(Companion.run("--help")).isZero();
    assertThat(Companion.run("--version")).isZero();
    assertThat(Companion.run("--no-such-option")).isEqualTo(2);
  }
}
