package io.discs.targets.embedded.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The optical command set, byte for byte as MMC-6 lays it out. */
class MmcTest {
  /** 10,000 blocks of 2048 bytes: a CD-sized disc whose lead-out is at LBA 10,000. */
  private final ScsiDevice cd = new ScsiDevice(ScsiDevice.Kind.CDROM, 10_000L * 2048, "s", 1);

  private final ScsiDevice dvd = new ScsiDevice(ScsiDevice.Kind.CDROM, 4_000_000_000L, "s", 2);

  @Test
  void readsTheTocInLbaAndInMsfAsLinuxAsks() {
    byte[] lba = bytes(cd.execute(readToc(0, false, 0)));
    assertThat(ByteBuffer.wrap(lba).getShort(0)).isEqualTo((short) 18);
    assertThat(lba[2]).isEqualTo((byte) 1);
    assertThat(lba[3]).isEqualTo((byte) 1);
    assertThat(lba[5]).isEqualTo((byte) 0x14);
    assertThat(lba[6]).isEqualTo((byte) 1);
    assertThat(ByteBuffer.wrap(lba).getInt(8)).isZero();
    assertThat(lba[14]).isEqualTo((byte) 0xaa);
    assertThat(ByteBuffer.wrap(lba).getInt(16)).isEqualTo(10_000);

    byte[] msf = bytes(cd.execute(readToc(0, true, 0)));
    assertThat(new int[] {msf[9], msf[10], msf[11]}).containsExactly(0, 2, 0); // LBA 0 = 00:02:00
    // LBA 10,000 + 150 frames = 10,150 = 2 min 15 s 25 frames
    assertThat(new int[] {msf[17], msf[18], msf[19]}).containsExactly(2, 15, 25);
  }

  @Test
  void honoursTheStartingTrackAndTheLeadOut() {
    byte[] leadOutOnly = bytes(cd.execute(readToc(0, false, 0xaa)));
    assertThat(ByteBuffer.wrap(leadOutOnly).getShort(0)).isEqualTo((short) 10);
    assertThat(leadOutOnly[6]).isEqualTo((byte) 0xaa);

    assertThat(cd.execute(readToc(0, false, 2)))
        .isEqualTo(new ScsiResult.CheckCondition(Sense.INVALID_FIELD_IN_CDB));
  }

  @Test
  void answersSessionInformationAndTheFullToc() {
    byte[] session = bytes(cd.execute(readToc(1, true, 0)));
    assertThat(ByteBuffer.wrap(session).getShort(0)).isEqualTo((short) 10);
    assertThat(session[6]).isEqualTo((byte) 1);
    assertThat(new int[] {session[9], session[10], session[11]}).containsExactly(0, 2, 0);

    byte[] full = bytes(cd.execute(readToc(2, false, 0)));
    assertThat(ByteBuffer.wrap(full).getShort(0)).isEqualTo((short) (2 + 4 * 11));
    int leadOut = 4 + 2 * 11; // the third descriptor: point A2
    assertThat(full[leadOut + 3] & 0xff).isEqualTo(0xa2);
    assertThat(new int[] {full[leadOut + 8], full[leadOut + 9], full[leadOut + 10]})
        .containsExactly(2, 15, 25);
  }

  @Test
  void describesTheOneTrackAndTheFinalisedDisc() {
    byte[] track = cdb(0x52, 7);
    track[1] = 1; // by track number
    track[5] = 1;
    byte[] info = bytes(cd.execute(track));
    assertThat(info[2]).isEqualTo((byte) 1);
    assertThat(ByteBuffer.wrap(info).getInt(24)).isEqualTo(10_000);
    assertThat(ByteBuffer.wrap(info).getInt(28)).isEqualTo(9_999);
    track[5] = 2;
    assertThat(cd.execute(track))
        .isEqualTo(new ScsiResult.CheckCondition(Sense.INVALID_FIELD_IN_CDB));

    byte[] disc = bytes(cd.execute(cdb(0x51, 7)));
    assertThat(disc[2] & 0x03).isEqualTo(2); // complete
    assertThat(disc[4]).isEqualTo((byte) 1);
  }

  @Test
  void reportsACdRomOrDvdRomProfileBySize() {
    byte[] cdConfig = bytes(cd.execute(cdb(0x46, 7)));
    byte[] dvdConfig = bytes(dvd.execute(cdb(0x46, 7)));
    assertThat(ByteBuffer.wrap(cdConfig).getShort(6)).isEqualTo((short) Mmc.PROFILE_CD_ROM);
    assertThat(ByteBuffer.wrap(dvdConfig).getShort(6)).isEqualTo((short) Mmc.PROFILE_DVD_ROM);
    assertThat(ByteBuffer.wrap(cdConfig).getInt(0)).isEqualTo(cdConfig.length - 4);

    byte[] onlyRandomReadable = cdb(0x46, 7);
    onlyRandomReadable[1] = 2;
    onlyRandomReadable[3] = 0x10;
    byte[] random = bytes(cd.execute(onlyRandomReadable));
    assertThat(random).hasSize(8 + 12);
    assertThat(ByteBuffer.wrap(random).getShort(8)).isEqualTo((short) 0x0010);
    assertThat(ByteBuffer.wrap(random).getInt(12)).isEqualTo(2048);
  }

  @Test
  void pollsMediaEventsAndSaysWhenNoSupportedClassIsAsked() {
    byte[] media = cdb(0x4a, 7);
    media[1] = 1;
    media[4] = 0x10;
    assertThat(bytes(cd.execute(media))).containsExactly(0, 6, 0x04, 0x10, 0, 0x02, 0, 0);
    media[4] = 0x02;
    assertThat(bytes(cd.execute(media))).containsExactly(0, 2, (byte) 0x80, 0x10);
  }

  @Test
  void anOddSizedImageHasItsLastPartialBlockCounted() {
    ScsiDevice odd = new ScsiDevice(ScsiDevice.Kind.DISK, 9_855_976, "s", 3);
    byte[] capacity = bytes(odd.execute(cdb(0x25, 0)));
    // 9,855,976 / 512 = 19,249.95...: 19,250 blocks, the last one padded
    assertThat(ByteBuffer.wrap(capacity).getInt(0)).isEqualTo(19_249);

    byte[] lastBlock = cdb(0x28, 0);
    ByteBuffer.wrap(lastBlock, 2, 4).putInt(19_249);
    lastBlock[8] = 1;
    assertThat(odd.execute(lastBlock)).isEqualTo(new ScsiResult.MediumRead(19_249L * 512, 512));
  }

  private static byte[] readToc(int format, boolean msf, int startingTrack) {
    byte[] cdb = cdb(0x43, 7);
    cdb[1] = (byte) (msf ? 0x02 : 0);
    cdb[2] = (byte) format;
    cdb[6] = (byte) startingTrack;
    return cdb;
  }

  /** A CDB with its allocation length (0xffff) at {@code allocationAt}, 0 for none. */
  private static byte[] cdb(int opcode, int allocationAt) {
    byte[] cdb = new byte[16];
    cdb[0] = (byte) opcode;
    if (allocationAt > 0) {
      cdb[allocationAt] = (byte) 0xff;
      cdb[allocationAt + 1] = (byte) 0xff;
    }
    return cdb;
  }

  private static byte[] bytes(ScsiResult result) {
    assertThat(result).isInstanceOf(ScsiResult.Data.class);
    return ((ScsiResult.Data) result).bytes();
  }
}
