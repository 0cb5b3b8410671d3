package io.discs.targets.embedded.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** The command window: what is executed, what is dropped, and the numbers responses carry. */
class CommandWindowTest {

  @Test
  void executesCommandsInTheWindowAndDropsTheRest() {
    CommandWindow window = new CommandWindow();
    window.restart(100, 1);
    assertThat(window.accept(command(100, false))).isTrue();
    assertThat(window.accept(command(101 + CommandWindow.SIZE - 1, false)))
        .as("the last number in the window")
        .isTrue();
    assertThat(window.accept(command(101 + CommandWindow.SIZE, false)))
        .as("one past MaxCmdSN")
        .isFalse();
    assertThat(window.accept(command(99, false))).as("already seen").isFalse();
    assertThat(window.accept(command(5000, true))).as("immediate").isTrue();
  }

  @Test
  void wrapsAroundTwoToTheThirtySecond() {
    CommandWindow window = new CommandWindow();
    window.restart(0xffffffffL, 0xffffffffL);
    assertThat(window.accept(command(0xffffffffL, false))).isTrue();
    assertThat(window.accept(command(0, false))).isTrue();
    Buffer header = window.stamp(ResponseHeader.of(Opcode.SCSI_RESPONSE, 0x80), true).buffer();
    assertThat(header.getInt(24)).as("StatSN").isEqualTo(0xffffffff);
    assertThat(header.getInt(28)).as("ExpCmdSN").isEqualTo(1);
    assertThat(header.getInt(32)).as("MaxCmdSN").isEqualTo(CommandWindow.SIZE);
    Buffer next = window.stamp(ResponseHeader.of(Opcode.DATA_IN, 0), false).buffer();
    assertThat(next.getInt(24)).as("StatSN wrapped").isZero();
  }

  @Test
  void advancesStatSnOnlyWithAStatus() {
    CommandWindow window = new CommandWindow();
    window.restart(1, 10);
    window.stamp(ResponseHeader.of(Opcode.DATA_IN, 0), false);
    Buffer status = window.stamp(ResponseHeader.of(Opcode.SCSI_RESPONSE, 0x80), true).buffer();
    Buffer after = window.stamp(ResponseHeader.of(Opcode.NOP_IN, 0x80), true).buffer();
    assertThat(status.getInt(24)).isEqualTo(10);
    assertThat(after.getInt(24)).isEqualTo(11);
  }

  @Test
  void anUnsolicitedNopOutCarriesNoNumber() {
    CommandWindow window = new CommandWindow();
    window.restart(7, 0);
    byte[] bhs = new byte[48];
    bhs[0] = 0x00; // NOP-Out, not immediate
    Buffer b = Buffer.buffer(bhs).setInt(16, Pdu.NO_TAG).setInt(24, 12345);
    assertThat(window.accept(new Pdu(b, Buffer.buffer()))).isTrue();
    assertThat(window.accept(command(7, false))).as("the window did not move").isTrue();
  }

  private static Pdu command(long cmdSn, boolean immediate) {
    byte[] bhs = new byte[48];
    bhs[0] = (byte) (immediate ? 0x41 : 0x01);
    return new Pdu(Buffer.buffer(bhs).setInt(24, (int) cmdSn), Buffer.buffer());
  }
}
