package io.discs.targets.embedded.scsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * A drive whose disc changes under logged-in initiators, command by command and byte by byte: the
 * unit attentions in QEMU's order, NOT READY while empty, media events once each, and the lock.
 */
class DriveTest {
  private static final String ALICE = "iqn.2026-12.test:alice,isid-1";
  private static final String SECOND = "iqn.2026-12.test:alice,isid-2";
  private static final Drive.Disc<String> DISC_A = new Drive.Disc<>(10_000L * 2048, "A");
  private static final Drive.Disc<String> DISC_B = new Drive.Disc<>(20_000L * 2048, "B");

  private final java.util.List<String> removed = new java.util.ArrayList<>();
  private final java.util.List<String> byInitiator = new java.util.ArrayList<>();
  private final Drive<String> drive =
      new Drive<>(
          "serial",
          7,
          removed::add,
          new Drive.InitiatorChanges() {
            @Override
            public void ejected() {
              byInitiator.add("ejected");
            }

            @Override
            public void reloaded() {
              byInitiator.add("reloaded");
            }
          });

  @Test
  void anEmptyDriveIsARemovableUnitWithNoMedium() {
    drive.attach(ALICE);

    assertThat(run(ALICE, testUnitReady())).isEqualTo(check(Sense.MEDIUM_NOT_PRESENT));
    assertThat(run(ALICE, readCapacity())).isEqualTo(check(Sense.MEDIUM_NOT_PRESENT));
    assertThat(run(ALICE, read10(0, 1))).isEqualTo(check(Sense.MEDIUM_NOT_PRESENT));
    byte[] inquiry = data(run(ALICE, cdb(0x12, 0, 0, 0, 96, 0)));
    assertThat(inquiry[0] & 0x1f).as("an optical unit").isEqualTo(0x05);
    assertThat(inquiry[1] & 0x80).as("RMB: removable").isEqualTo(0x80);
    byte[] configuration = data(run(ALICE, getConfiguration()));
    assertThat(ByteBuffer.wrap(configuration).getShort(6)).as("no current profile").isZero();
    assertThat(feature(configuration, 0x0003)[2] & 0x01).as("removable medium current").isOne();
    assertThat(feature(configuration, 0x0010)[2] & 0x01).as("nothing to read").isZero();
    assertThat(mediaEvent(ALICE)).containsExactly(0, 0x01); // no event, tray open
    assertThat(data(run(ALICE, requestSense()))).isEqualTo(Sense.MEDIUM_NOT_PRESENT.bytes());
  }

  @Test
  void aDiscInsertedIsAnnouncedToEveryNexusOnceInQemusOrderThenServed() {
    drive.attach(ALICE);
    drive.attach(SECOND);

    drive.insert(DISC_A);

    assertThat(run(ALICE, testUnitReady())).isEqualTo(check(Sense.ATTENTION_MEDIUM_REMOVED));
    assertThat(run(ALICE, readCapacity())).isEqualTo(check(Sense.ATTENTION_MEDIUM_CHANGED));
    assertThat(run(ALICE, testUnitReady())).isEqualTo(new ScsiResult.Good());
    assertThat(ByteBuffer.wrap(data(run(ALICE, readCapacity()))).getInt(0)).isEqualTo(9_999);
    // The other nexus has its own attentions; REQUEST SENSE takes one as data.
    assertThat(data(run(SECOND, requestSense()))).isEqualTo(Sense.ATTENTION_MEDIUM_REMOVED.bytes());
    assertThat(run(SECOND, testUnitReady())).isEqualTo(check(Sense.ATTENTION_MEDIUM_CHANGED));
    assertThat(run(SECOND, testUnitReady())).isEqualTo(new ScsiResult.Good());
    // GET EVENT STATUS NOTIFICATION: NewMedia once, then no event with the disc present.
    assertThat(mediaEvent(ALICE)).containsExactly(2, 0x02);
    assertThat(mediaEvent(ALICE)).containsExactly(0, 0x02);
    byte[] configuration = data(run(ALICE, getConfiguration()));
    assertThat(ByteBuffer.wrap(configuration).getShort(6)).isEqualTo((short) Mmc.PROFILE_CD_ROM);
  }

  @Test
  void attentionsDoNotHoldUpTheCommandsThatAskHowTheDriveStands() {
    drive.attach(ALICE);
    drive.insert(DISC_A);

    assertThat(run(ALICE, cdb(0x12, 0, 0, 0, 36, 0))).isInstanceOf(ScsiResult.Data.class);
    assertThat(run(ALICE, getConfiguration())).isInstanceOf(ScsiResult.Data.class);
    assertThat(mediaEvent(ALICE)).containsExactly(2, 0x02);
    assertThat(run(ALICE, testUnitReady())).isEqualTo(check(Sense.ATTENTION_MEDIUM_REMOVED));
  }

  @Test
  void aSwapServesTheNewDiscAndEachReadSaysWhichDiscItIsFrom() {
    drive.attach(ALICE);
    drive.insert(DISC_A);
    drainAttentions(ALICE);
    assertThat(mediaEvent(ALICE)).as("A came").containsExactly(2, 0x02);
    Drive.Executed<String> fromA = drive.execute(ALICE, read10(5, 2));
    assertThat(fromA.result()).isEqualTo(new ScsiResult.MediumRead(5 * 2048, 2 * 2048));
    assertThat(fromA.disc()).isEqualTo("A");

    drive.insert(DISC_B);

    assertThat(run(ALICE, read10(5, 2))).isEqualTo(check(Sense.ATTENTION_MEDIUM_REMOVED));
    assertThat(run(ALICE, read10(5, 2))).isEqualTo(check(Sense.ATTENTION_MEDIUM_CHANGED));
    Drive.Executed<String> fromB = drive.execute(ALICE, read10(15_000, 1));
    assertThat(fromB.result()).isEqualTo(new ScsiResult.MediumRead(15_000L * 2048, 2048));
    assertThat(fromB.disc()).isEqualTo("B");
    assertThat(removed).as("A was let go").containsExactly("A");
    assertThat(mediaEvent(ALICE)).as("A went").containsExactly(3, 0x02);
    assertThat(mediaEvent(ALICE)).as("B came").containsExactly(2, 0x02);
    assertThat(mediaEvent(ALICE)).containsExactly(0, 0x02);
  }

  @Test
  void aLockedDiscIsOnlyAskedToGoUnlessForcedAndTheInitiatorsEjectIsRefused() {
    drive.attach(ALICE);
    drive.insert(DISC_A);
    drainAttentions(ALICE);
    mediaEvent(ALICE);
    assertThat(run(ALICE, preventAllow(true))).isEqualTo(new ScsiResult.Good());

    assertThat(drive.eject(false)).isEqualTo(Drive.Ejection.REFUSED_LOCKED);
    assertThat(drive.disc()).isEqualTo("A");
    assertThat(mediaEvent(ALICE)).as("EjectRequest, once").containsExactly(1, 0x02);
    assertThat(mediaEvent(ALICE)).containsExactly(0, 0x02);
    assertThat(run(ALICE, startStop(false, true))).isEqualTo(check(Sense.REMOVAL_PREVENTED));

    assertThat(run(ALICE, preventAllow(false))).isEqualTo(new ScsiResult.Good());
    assertThat(run(ALICE, startStop(false, true))).isEqualTo(new ScsiResult.Good());
    assertThat(drive.disc()).as("the initiator ejected it").isNull();
    assertThat(removed).as("it waits in the open tray").isEmpty();
    assertThat(byInitiator).containsExactly("ejected");
    assertThat(run(ALICE, testUnitReady())).isEqualTo(check(Sense.ATTENTION_MEDIUM_REMOVED));
    assertThat(run(ALICE, testUnitReady())).isEqualTo(check(Sense.MEDIUM_NOT_PRESENT));
    assertThat(mediaEvent(ALICE)).as("MediaRemoval").containsExactly(3, 0x01);
  }

  @Test
  void aLoadClosesTheTrayWithTheEjectedDiscUntilTheControlPlaneTakesItOut() {
    drive.attach(ALICE);
    drive.attach(SECOND);
    drive.insert(DISC_A);
    drainAttentions(ALICE);
    drainAttentions(SECOND);
    assertThat(run(ALICE, startStop(false, true))).isEqualTo(new ScsiResult.Good());
    drainAttentions(ALICE);
    drainAttentions(SECOND);

    assertThat(run(ALICE, startStop(true, true))).isEqualTo(new ScsiResult.Good());

    assertThat(drive.disc()).isEqualTo("A");
    assertThat(byInitiator).containsExactly("ejected", "reloaded");
    assertThat(run(ALICE, read10(5, 1)))
        .as("the nexus that closed the tray reads at once")
        .isEqualTo(new ScsiResult.MediumRead(5 * 2048, 2048));
    assertThat(run(SECOND, testUnitReady())).isEqualTo(check(Sense.ATTENTION_MEDIUM_CHANGED));
    assertThat(run(SECOND, testUnitReady())).isEqualTo(new ScsiResult.Good());
    assertThat(removed).isEmpty();

    // Ejected again, then taken out by the control plane: a load finds the tray empty.
    drainAttentions(ALICE);
    assertThat(run(ALICE, startStop(false, true))).isEqualTo(new ScsiResult.Good());
    assertThat(drive.eject(false)).isEqualTo(Drive.Ejection.ALREADY_EMPTY);
    assertThat(removed).containsExactly("A");
    drainAttentions(ALICE);
    assertThat(run(ALICE, startStop(true, true))).isEqualTo(new ScsiResult.Good());
    assertThat(drive.disc()).isNull();
    assertThat(run(ALICE, testUnitReady())).isEqualTo(check(Sense.MEDIUM_NOT_PRESENT));

    // A disc inserted while another waits in the tray replaces it there too.
    drive.insert(DISC_B);
    drainAttentions(ALICE);
    assertThat(run(ALICE, startStop(false, true))).isEqualTo(new ScsiResult.Good());
    drive.insert(DISC_A);
    assertThat(removed).containsExactly("A", "B");
    assertThat(drive.releaseAll()).containsExactly("A");
  }

  @Test
  void aForcedEjectTakesALockedDiscAndTheLockWithIt() {
    drive.attach(ALICE);
    drive.insert(DISC_A);
    drainAttentions(ALICE);
    run(ALICE, preventAllow(true));

    assertThat(drive.eject(true)).isEqualTo(Drive.Ejection.EJECTED);

    assertThat(drive.locked()).isFalse();
    assertThat(drive.eject(false)).isEqualTo(Drive.Ejection.ALREADY_EMPTY);
    drive.insert(DISC_B);
    assertThat(drive.eject(false)).isEqualTo(Drive.Ejection.EJECTED);
  }

  @Test
  void aNexusThatGoesTakesItsLockWithIt() {
    drive.attach(ALICE);
    drive.insert(DISC_A);
    drainAttentions(ALICE);
    run(ALICE, preventAllow(true));

    drive.detach(ALICE);

    assertThat(drive.locked()).isFalse();
    assertThat(drive.eject(false)).isEqualTo(Drive.Ejection.EJECTED);
  }

  @Test
  void changesANexusHasNotHeardOfYetAreOvertakenByTheLatest() {
    drive.attach(ALICE);
    drive.insert(DISC_A);
    drive.eject(false);

    assertThat(run(ALICE, testUnitReady())).isEqualTo(check(Sense.ATTENTION_MEDIUM_REMOVED));
    assertThat(run(ALICE, testUnitReady())).isEqualTo(check(Sense.MEDIUM_NOT_PRESENT));
  }

  private void drainAttentions(String nexus) {
    for (int i = 0; i < 4; i++) {
      run(nexus, testUnitReady());
    }
  }

  /** The media class's event code and media status from a polled GET EVENT STATUS NOTIFICATION. */
  private int[] mediaEvent(String nexus) {
    byte[] answer = data(run(nexus, cdb(0x4a, 0x01, 0, 0, 0x10, 0, 0, 0, 8, 0)));
    assertThat(answer[2] & 0x07).as("media class").isEqualTo(4);
    return new int[] {answer[4] & 0x0f, answer[5] & 0xff};
  }

  private static byte[] feature(byte[] configuration, int number) {
    for (int at = 8; at + 4 <= configuration.length; at += 4 + (configuration[at + 3] & 0xff)) {
      if (ByteBuffer.wrap(configuration).getShort(at) == number) {
        byte[] f = new byte[4 + (configuration[at + 3] & 0xff)];
        System.arraycopy(configuration, at, f, 0, f.length);
        return f;
      }
    }
    throw new AssertionError("no feature " + number);
  }

  private ScsiResult run(String nexus, byte[] cdb) {
    return drive.execute(nexus, cdb).result();
  }

  private static ScsiResult check(Sense sense) {
    return new ScsiResult.CheckCondition(sense);
  }

  private static byte[] data(ScsiResult result) {
    assertThat(result).isInstanceOf(ScsiResult.Data.class);
    return ((ScsiResult.Data) result).bytes();
  }

  private static byte[] testUnitReady() {
    return cdb(0, 0, 0, 0, 0, 0);
  }

  private static byte[] requestSense() {
    return cdb(0x03, 0, 0, 0, 18, 0);
  }

  private static byte[] readCapacity() {
    return cdb(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  private static byte[] getConfiguration() {
    return cdb(0x46, 0, 0, 0, 0, 0, 0, 1, 0, 0);
  }

  private static byte[] read10(int lba, int blocks) {
    byte[] cdb = cdb(0x28, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    ByteBuffer.wrap(cdb, 2, 4).putInt(lba);
    ByteBuffer.wrap(cdb, 7, 2).putShort((short) blocks);
    return cdb;
  }

  private static byte[] preventAllow(boolean prevent) {
    return cdb(0x1e, 0, 0, 0, prevent ? 1 : 0, 0);
  }

  private static byte[] startStop(boolean start, boolean loadOrEject) {
    return cdb(0x1b, 0, 0, 0, (start ? 1 : 0) | (loadOrEject ? 2 : 0), 0);
  }

  private static byte[] cdb(int... values) {
    byte[] cdb = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      cdb[i] = (byte) values[i];
    }
    return cdb;
  }
}
