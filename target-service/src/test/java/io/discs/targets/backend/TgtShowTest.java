package io.discs.targets.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TgtShowTest {
  private static final String SHOW =
      """
      Target 1: iqn.2026-01.io.discs:abc.def
          System information:
              Driver: iscsi
              State: ready
          I_T nexus information:
              I_T nexus: 3
                  Initiator: iqn.2026-01.test:client alias: host-a
                  Connection: 0
                      IP Address: 127.0.0.1
          LUN information:
              LUN: 0
                  Type: controller
                  Readonly: No
                  Backing store path: None
              LUN: 1
                  Type: disk
                  Readonly: Yes
                  Backing store path: /data/images/sha256/ab/abab
          Account information:
              discs-abc
              discs-t-def (outgoing)
          ACL information:
              iqn.2026-01.test:client
      Target 2: iqn.2001-04.com.example:foreign
          System information:
              Driver: iscsi
              State: ready
          I_T nexus information:
          LUN information:
              LUN: 0
                  Type: controller
          Account information:
          ACL information:
              ALL
      """;

  @Test
  void readsTargetsLunsAccountsAclsAndNexuses() {
    List<TgtShow.Target> targets = TgtShow.parse(SHOW);

    assertThat(targets).hasSize(2);
    TgtShow.Target ours = targets.get(0);
    assertThat(ours.tid()).isEqualTo(1);
    assertThat(ours.iqn()).isEqualTo("iqn.2026-01.io.discs:abc.def");
    assertThat(ours.luns())
        .containsExactly(
            new TgtShow.Lun(0, "controller", false, "None"),
            new TgtShow.Lun(1, "disk", true, "/data/images/sha256/ab/abab"));
    assertThat(ours.accounts()).containsExactly("discs-abc");
    assertThat(ours.outgoingAccounts()).containsExactly("discs-t-def");
    assertThat(ours.acls()).containsExactly("iqn.2026-01.test:client");
    assertThat(ours.nexuses())
        .containsExactly(new InitiatorSession("iqn.2026-01.test:client", "127.0.0.1"));
    assertThat(targets.get(1).acls()).containsExactly("ALL");
    assertThat(TgtShow.find(targets, "iqn.2001-04.com.example:foreign")).isPresent();
  }

  @Test
  @org.junit.jupiter.api.Tag("security")
  void refusesOutputWhereAnInitiatorsAliasPosesAsATarget() {
    String forged =
        SHOW.replace(
            "alias: host-a",
            "alias: host-a\nTarget 2: iqn.2026-01.io.discs:forged.one\n    LUN information:");

    String outcome;
    try {
      TgtShow.parse(forged);
      outcome = "parsed (a forged target)";
    } catch (IllegalStateException e) {
      outcome = "refused: " + e.getMessage();
    }
    io.discs.testing.security.SecurityReport.record(
        "tgt show parsing",
        "an InitiatorAlias holding a newline and 'Target 2: iqn…' in tgtadm --op show",
        "the output is refused, no forged target",
        outcome);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TgtShow.parse(forged))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("twice");
  }
}
