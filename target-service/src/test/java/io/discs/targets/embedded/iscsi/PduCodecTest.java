package io.discs.targets.embedded.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Requests read and responses written at the byte offsets RFC 7143 section 11 gives. */
class PduCodecTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void readsALoginRequestByName() {
    // Login Request, immediate, T=1 CSG=1 NSG=3, ISID 80:12:34:56:78:9a, ITT 7, CmdSN 42,
    // ExpStatSN 9.
    byte[] bhs = new byte[48];
    bhs[0] = 0x43;
    bhs[1] = (byte) 0x87;
    System.arraycopy(HEX.parseHex("80123456789a"), 0, bhs, 8, 6);
    bhs[19] = 7;
    bhs[27] = 42;
    bhs[31] = 9;
    Pdu pdu = new Pdu(Buffer.buffer(bhs), Buffer.buffer());

    assertThat(pdu.opcode()).isEqualTo(Opcode.LOGIN_REQUEST);
    assertThat(pdu.immediate()).isTrue();
    assertThat(pdu.finalOrTransit()).isTrue();
    assertThat(pdu.loginContinues()).isFalse();
    assertThat(pdu.currentStage()).isEqualTo(1);
    assertThat(pdu.nextStage()).isEqualTo(3);
    assertThat(HEX.formatHex(pdu.isid())).isEqualTo("80123456789a");
    assertThat(pdu.itt()).isEqualTo(7);
    assertThat(pdu.cmdSn()).isEqualTo(42);
    assertThat(pdu.expStatSn()).isEqualTo(9);
  }

  @Test
  void readsAScsiCommandByName() {
    // SCSI Command, F=1 R=1, LUN 0, ITT 0x01020304, EDTL 4096, CmdSN 0xfffffffe, READ(10).
    byte[] bhs = new byte[48];
    bhs[0] = 0x01;
    bhs[1] = (byte) 0xc1;
    System.arraycopy(HEX.parseHex("01020304" + "00001000" + "fffffffe"), 0, bhs, 16, 12);
    bhs[32] = 0x28;
    Pdu pdu = new Pdu(Buffer.buffer(bhs), Buffer.buffer());

    assertThat(pdu.opcode()).isEqualTo(Opcode.SCSI_COMMAND);
    assertThat(pdu.itt()).isEqualTo(0x01020304);
    assertThat(pdu.expectedDataLength()).isEqualTo(4096);
    assertThat(pdu.cmdSn()).as("unsigned").isEqualTo(0xfffffffeL);
    assertThat(pdu.cdb()).hasSize(16).startsWith(0x28);
  }

  @Test
  void writesADataInWithStatusAtItsOffsets() {
    Buffer header =
        ResponseHeader.of(Opcode.DATA_IN, 0x81)
            .status(0)
            .lun(0)
            .itt(0x11223344)
            .ttt(Pdu.NO_TAG)
            .sequence(5, 6, 69)
            .dataSequence(2, 0x20000)
            .residual(512)
            .buffer();

    assertThat(HEX.formatHex(header.getBytes()))
        .isEqualTo(
            "25810000" // opcode, flags, reserved, status
                + "00000000" // AHS length, data segment length (set when sent)
                + "0000000000000000" // LUN
                + "11223344" // ITT
                + "ffffffff" // TTT
                + "00000005" // StatSN
                + "00000006" // ExpCmdSN
                + "00000045" // MaxCmdSN
                + "00000002" // DataSN
                + "00020000" // Buffer Offset
                + "00000200"); // Residual Count
  }

  @Test
  void writesALoginRejectWithItsStatusClassAndDetail() {
    Buffer header =
        ResponseHeader.of(Opcode.LOGIN_RESPONSE, 0)
            .session(HEX.parseHex("80123456789a"), 0)
            .itt(7)
            .sequence(1, 42, 105)
            .loginStatus(0x02, 0x01)
            .buffer();
    assertThat(header.getByte(0)).isEqualTo((byte) 0x23);
    assertThat(HEX.formatHex(header.getBytes(8, 16))).isEqualTo("80123456789a0000");
    assertThat(header.getByte(36)).isEqualTo((byte) 0x02);
    assertThat(header.getByte(37)).isEqualTo((byte) 0x01);
  }

  @Test
  void encodesTheDataLengthAndPadsToFourBytes() {
    Buffer header = ResponseHeader.of(Opcode.TEXT_RESPONSE, 0x80).buffer();
    Buffer pdu = Pdu.encode(header, Buffer.buffer("TargetName=x"));
    assertThat(pdu.length()).isEqualTo(48 + 12);
    Buffer odd = Pdu.encode(header, Buffer.buffer(new byte[70_001]));
    assertThat(odd.length()).isEqualTo(48 + 70_004);
    assertThat(HEX.formatHex(odd.getBytes(5, 8))).isEqualTo("011171"); // 70,001
  }

  @Test
  void namesEveryOpcodeItAnswersAndCallsTheRestUnsupported() {
    assertThat(Opcode.of(0x00)).isEqualTo(Opcode.NOP_OUT);
    assertThat(Opcode.of(0x06)).isEqualTo(Opcode.LOGOUT_REQUEST);
    assertThat(Opcode.of(0x10)).as("SNACK").isEqualTo(Opcode.UNSUPPORTED);
    assertThat(Opcode.of(0x1c)).as("vendor specific").isEqualTo(Opcode.UNSUPPORTED);
    assertThat(Opcode.of(0x3f)).isEqualTo(Opcode.REJECT);
    assertThat(Opcode.SCSI_COMMAND.numbered()).isTrue();
    assertThat(Opcode.DATA_OUT.numbered()).isFalse();
  }
}
