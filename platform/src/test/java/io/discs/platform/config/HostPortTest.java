package io.discs.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {

  @Test
  void parsesNamesIpv4AndBracketedIpv6() {
    assertThat(HostPort.parse("storage-1.example:3260"))
        .isEqualTo(new HostPort("storage-1.example", 3260));
    assertThat(HostPort.parse("192.0.2.1:3261")).isEqualTo(new HostPort("192.0.2.1", 3261));
    HostPort v6 = HostPort.parse("[2001:db8::1]:3260");
    assertThat(v6).isEqualTo(new HostPort("2001:db8::1", 3260));
    assertThat(v6.toString()).isEqualTo("[2001:db8::1]:3260");
  }

  @Test
  void rejectsMissingOrBadPartsAndAnythingLikeAUrl() {
    for (String bad :
        new String[] {
          "host", ":3260", "host:", "host:0", "host:65536", "a b:1", "u@h:1", "h/x:1"
        }) {
      assertThatThrownBy(() -> HostPort.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
