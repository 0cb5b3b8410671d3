package io.discs.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {

  @Test
  void matchesIpv4AndIpv6Blocks() {
    assertThat(Cidr.parse("10.0.0.0/8").contains("10.200.3.4")).isTrue();
    assertThat(Cidr.parse("10.0.0.0/8").contains("11.0.0.1")).isFalse();
    assertThat(Cidr.parse("192.0.2.7").contains("192.0.2.7")).isTrue();
    assertThat(Cidr.parse("2001:db8::/32").contains("2001:db8:1::5")).isTrue();
    assertThat(Cidr.parse("2001:db8::/32").contains("192.0.2.7")).isFalse();
    assertThat(Cidr.parse("fe80::/10").contains("fe80::1%eth0")).isTrue();
  }

  @Test
  void takesNoNameForAnAddress() {
    // All hex digits, so they pass a character check; as names they would go to DNS.
    assertThat(Cidr.literal("cafe")).isNull();
    assertThat(Cidr.literal("deadbeef")).isNull();
    assertThat(Cidr.literal("1.2.3")).isNull();
    assertThat(Cidr.literal("256.1.1.1")).isNull();
    assertThat(Cidr.parse("10.0.0.0/8").contains("cafe")).isFalse();
    assertThatThrownBy(() -> Cidr.parse("cafe/8")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/40"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
