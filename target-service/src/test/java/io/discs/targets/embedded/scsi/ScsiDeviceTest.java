package io.discs.targets.embedded.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScsiDeviceTest {
  private final ScsiDevice disk = new ScsiDevice(ScsiDevice.Kind.DISK, 1 << 20, "abc", 42);
  private final ScsiDevice cdrom = new ScsiDevice(ScsiDevice.Kind.CDROM, 1 << 20, "abc", 42);

  @Test
  void refusesEveryWriteClassCommandAsWriteProtected() {
    for (int opcode : new int[] {0x0a, 0x2a, 0xaa, 0x8a, 0x41, 0x93, 0x42, 0x89, 0x8b, 0x04}) {
      assertThat(disk.execute(cdb(opcode)))
          .as("opcode %02x", opcode)
          .isEqualTo(new ScsiResult.CheckCondition(Sense.WRITE_PROTECTED));
    }
  }

  @Test
  void answersUnknownOpcodesWithInvalidCommandOperationCode() {
    assertThat(disk.execute(cdb(0xc0)))
        .isEqualTo(new ScsiResult.CheckCondition(Sense.INVALID_OPCODE));
    assertThat(disk.execute(cdb(0x43)))
        .isEqualTo(new ScsiResult.CheckCondition(Sense.INVALID_OPCODE));
  }

  @Test
  void readsRangesOfTheMediumAndRefusesReadsPastTheEnd() {
    byte[] read10 = cdb(0x28);
    read10[5] = 2;
    read10[8] = 4;
    assertThat(disk.execute(read10)).isEqualTo(new ScsiResult.MediumRead(2 * 512, 4 * 512));

    byte[] beyond = cdb(0x28);
    beyond[4] = 0x08; // LBA 2048 of 2048 blocks
    beyond[8] = 1;
    assertThat(disk.execute(beyond))
        .isEqualTo(new ScsiResult.CheckCondition(Sense.LBA_OUT_OF_RANGE));

    byte[] read6 = cdb(0x08);
    read6[4] = 0; // 0 means 256 blocks
    assertThat(disk.execute(read6)).isEqualTo(new ScsiResult.MediumRead(0, 256 * 512));
  }

  @Test
  void reportsTheMediumWriteProtectedInModeSense() {
    byte[] modeSense6 = cdb(0x1a);
    modeSense6[2] = 0x3f;
    modeSense6[4] = (byte) 255;

    byte[] data = ((ScsiResult.Data) disk.execute(modeSense6)).bytes();

    assertThat(data[2] & 0x80).isEqualTo(0x80);
  }

  @Test
  void describesItselfAsDiskOrOpticalWithTheRightBlockSize() {
    byte[] inquiry = cdb(0x12);
    inquiry[4] = 96;
    assertThat(((ScsiResult.Data) disk.execute(inquiry)).bytes()[0]).isEqualTo((byte) 0x00);
    assertThat(((ScsiResult.Data) cdrom.execute(inquiry)).bytes()[0]).isEqualTo((byte) 0x05);

    byte[] capacity = ((ScsiResult.Data) cdrom.execute(cdb(0x25))).bytes();
    assertThat(java.nio.ByteBuffer.wrap(capacity).getInt(0)).isEqualTo(511);
    assertThat(java.nio.ByteBuffer.wrap(capacity).getInt(4)).isEqualTo(2048);
  }

  @Test
  void cutsDataToTheAllocationLength() {
    byte[] inquiry = cdb(0x12);
    inquiry[4] = 5;

    assertThat(((ScsiResult.Data) disk.execute(inquiry)).bytes()).hasSize(5);
  }

  private static byte[] cdb(int opcode) {
    byte[] cdb = new byte[16];
    cdb[0] = (byte) opcode;
    return cdb;
  }
}
