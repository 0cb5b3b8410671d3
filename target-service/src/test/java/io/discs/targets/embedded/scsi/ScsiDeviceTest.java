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
  void refusesARead16WhoseLbaPlusLengthOverflows() {
    byte[] read16 = cdb(0x88);
    java.nio.ByteBuffer.wrap(read16).putLong(2, Long.MAX_VALUE).putInt(10, 1);
    assertThat(disk.execute(read16))
        .as("LBA 2^63-1 + 1 block wraps to a negative end")
        .isEqualTo(new ScsiResult.CheckCondition(Sense.LBA_OUT_OF_RANGE));

    java.nio.ByteBuffer.wrap(read16).putLong(2, -2L).putInt(10, 4);
    assertThat(disk.execute(read16))
        .as("an LBA with the top bit set")
        .isEqualTo(new ScsiResult.CheckCondition(Sense.LBA_OUT_OF_RANGE));

    byte[] verify16 = cdb(0x8f);
    java.nio.ByteBuffer.wrap(verify16).putLong(2, Long.MAX_VALUE).putInt(10, 1);
    assertThat(disk.execute(verify16))
        .isEqualTo(new ScsiResult.CheckCondition(Sense.LBA_OUT_OF_RANGE));
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

  @Test
  void refusesWriteAndVerifyAsWriteProtectedAndReportsNoReservations() {
    for (int opcode : new int[] {0x2e, 0xae, 0x8e}) {
      assertThat(disk.execute(cdb(opcode)))
          .isEqualTo(new ScsiResult.CheckCondition(Sense.WRITE_PROTECTED));
    }
    byte[] readKeys = cdb(0x5e);
    readKeys[8] = (byte) 0xff;
    assertThat(((ScsiResult.Data) disk.execute(readKeys)).bytes()).containsExactly(new byte[8]);
    byte[] capabilities = cdb(0x5e);
    capabilities[1] = 0x02;
    capabilities[8] = (byte) 0xff;
    assertThat(((ScsiResult.Data) disk.execute(capabilities)).bytes()[1]).isEqualTo((byte) 8);
  }

  @Test
  void reportsTheCommandsItAnswersFromItsOwnTable() {
    byte[] all = cdb(0xa3);
    all[1] = 0x0c;
    all[8] = (byte) 0xff;
    all[9] = (byte) 0xff;
    byte[] list = ((ScsiResult.Data) disk.execute(all)).bytes();
    int length = java.nio.ByteBuffer.wrap(list).getInt(0);
    assertThat(list).hasSize(4 + length);
    java.util.Set<Integer> listed = new java.util.HashSet<>();
    for (int at = 4; at < list.length; at += 8) {
      listed.add(list[at] & 0xff);
    }
    assertThat(listed).contains(0x28, 0x2a, 0x2e, 0xa3).doesNotContain(0x43);
    for (int code : listed) {
      byte[] probe = cdb(code);
      assertThat(disk.execute(probe))
          .as("listed opcode %02x is answered", code)
          .isNotEqualTo(new ScsiResult.CheckCondition(Sense.INVALID_OPCODE));
    }

    byte[] one = all.clone();
    one[2] = 0x01;
    one[3] = 0x2e; // WRITE AND VERIFY (10): answered, with DPO not among the bits it takes
    byte[] writeAndVerify = ((ScsiResult.Data) disk.execute(one)).bytes();
    assertThat(writeAndVerify[1] & 0x07).isEqualTo(3);
    assertThat(writeAndVerify[4 + 1] & 0x10).isZero();
    one[3] = 0x43; // READ TOC: a disk has none
    assertThat(((ScsiResult.Data) disk.execute(one)).bytes()[1] & 0x07).isEqualTo(1);
  }

  @Test
  void offersNeitherDpoNorFuaAndRefusesCommandsThatSetThemBeforeSayingWriteProtected() {
    byte[] modeSense6 = cdb(0x1a);
    modeSense6[2] = 0x3f;
    modeSense6[4] = (byte) 255;
    assertThat(((ScsiResult.Data) disk.execute(modeSense6)).bytes()[2] & 0x10).isZero();

    for (int opcode : new int[] {0x28, 0xa8, 0x88, 0x2f, 0x8f, 0x2e, 0xae, 0x8e, 0x2a}) {
      byte[] dpo = cdb(opcode);
      dpo[1] = 0x10;
      assertThat(disk.execute(dpo))
          .as("opcode %02x with DPO", opcode)
          .isEqualTo(new ScsiResult.CheckCondition(Sense.INVALID_FIELD_IN_CDB));
    }
    byte[] fua = cdb(0x28);
    fua[1] = 0x08;
    assertThat(disk.execute(fua))
        .isEqualTo(new ScsiResult.CheckCondition(Sense.INVALID_FIELD_IN_CDB));
  }

  @Test
  void anUnknownServiceActionOfAKnownCodeIsAnInvalidField() {
    byte[] readCapacity = cdb(0x9e);
    readCapacity[1] = 0x11;
    assertThat(disk.execute(readCapacity))
        .isEqualTo(new ScsiResult.CheckCondition(Sense.INVALID_FIELD_IN_CDB));
    byte[] persistentReserveIn = cdb(0x5e);
    persistentReserveIn[1] = 0x07;
    assertThat(disk.execute(persistentReserveIn))
        .isEqualTo(new ScsiResult.CheckCondition(Sense.INVALID_FIELD_IN_CDB));
  }

  private static byte[] cdb(int opcode) {
    byte[] cdb = new byte[16];
    cdb[0] = (byte) opcode;
    return cdb;
  }
}
