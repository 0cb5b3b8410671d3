package io.discs.targets.embedded.scsi;

import static io.discs.targets.embedded.scsi.ScsiOpcode.INQUIRY;
import static io.discs.targets.embedded.scsi.ScsiOpcode.MODE_SENSE_10;
import static io.discs.targets.embedded.scsi.ScsiOpcode.MODE_SENSE_6;
import static io.discs.targets.embedded.scsi.ScsiOpcode.PERSISTENT_RESERVE_IN_READ_FULL_STATUS;
import static io.discs.targets.embedded.scsi.ScsiOpcode.PERSISTENT_RESERVE_IN_READ_KEYS;
import static io.discs.targets.embedded.scsi.ScsiOpcode.PERSISTENT_RESERVE_IN_READ_RESERVATION;
import static io.discs.targets.embedded.scsi.ScsiOpcode.PERSISTENT_RESERVE_IN_REPORT_CAPABILITIES;
import static io.discs.targets.embedded.scsi.ScsiOpcode.PREVENT_ALLOW_MEDIUM_REMOVAL;
import static io.discs.targets.embedded.scsi.ScsiOpcode.REPORT_LUNS;
import static io.discs.targets.embedded.scsi.ScsiOpcode.REQUEST_SENSE;
import static io.discs.targets.embedded.scsi.ScsiOpcode.TEST_UNIT_READY;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The primary commands (SPC-4) every logical unit answers, whatever its medium: identification,
 * mode pages, the LUN inventory and persistent reservations (read only: nobody may write here, so
 * nobody needs to reserve).
 */
final class Spc {
  private static final byte[] CONTROL_PAGE = {0x0a, 0x0a, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0};

  /** WP: the medium is write-protected. DPOFUA stays 0: DPO and FUA are not offered. */
  private static final int WRITE_PROTECTED = 0x80;

  private final UnitProfile profile;
  private final String serial;
  private final long naa;
  private final SortedMap<Integer, byte[]> modePages;

  /**
   * @param naa a 60-bit identifier unique to this logical unit (Windows misbehaves on duplicates)
   */
  Spc(UnitProfile profile, String serial, long naa) {
    this.profile = profile;
    this.serial = serial;
    this.naa = naa;
    this.modePages = new TreeMap<>(profile.modePages());
    this.modePages.put(0x0a, CONTROL_PAGE);
  }

  void addTo(CommandSet.Builder table) {
    table
        .add(TEST_UNIT_READY, cdb -> Cdb.good())
        .add(REQUEST_SENSE, cdb -> Cdb.data(Sense.NO_SENSE.bytes(), Cdb.u8(cdb, 4)))
        .add(INQUIRY, this::inquiry)
        .add(MODE_SENSE_6, cdb -> modeSense(cdb, false))
        .add(MODE_SENSE_10, cdb -> modeSense(cdb, true))
        .add(REPORT_LUNS, Spc::reportLuns)
        .add(PREVENT_ALLOW_MEDIUM_REMOVAL, cdb -> Cdb.good())
        .addAll(
            List.of(
                PERSISTENT_RESERVE_IN_READ_KEYS,
                PERSISTENT_RESERVE_IN_READ_RESERVATION,
                PERSISTENT_RESERVE_IN_READ_FULL_STATUS),
            cdb -> Cdb.data(new byte[8], Cdb.u16(cdb, 7))) // generation 0, nothing listed
        .add(
            PERSISTENT_RESERVE_IN_REPORT_CAPABILITIES,
            cdb -> Cdb.data(new byte[] {0, 8, 0, 0, 0, 0, 0, 0}, Cdb.u16(cdb, 7)));
  }

  /**
   * For a LUN that does not exist: INQUIRY says "no device here", REPORT LUNS still answers, the
   * rest fail.
   */
  static ScsiResult absentLun(byte[] cdb) {
    int code = cdb[0] & 0xff;
    if (code == INQUIRY.code()) {
      byte[] b = new byte[36];
      b[0] = 0x7f;
      return Cdb.data(b, Cdb.u16(cdb, 3));
    }
    if (code == REPORT_LUNS.code()) {
      return reportLuns(cdb);
    }
    if (code == REQUEST_SENSE.code()) {
      return Cdb.data(Sense.LUN_NOT_SUPPORTED.bytes(), Cdb.u8(cdb, 4));
    }
    return new ScsiResult.CheckCondition(Sense.LUN_NOT_SUPPORTED);
  }

  private static ScsiResult reportLuns(byte[] cdb) {
    byte[] b = new byte[16];
    b[3] = 8; // one LUN, LUN 0
    return Cdb.data(b, Cdb.u32(cdb, 6));
  }

  private ScsiResult inquiry(byte[] cdb) {
    int allocation = Cdb.u16(cdb, 3);
    boolean evpd = (cdb[1] & 0x01) != 0;
    int page = Cdb.u8(cdb, 2);
    if (!evpd) {
      return page != 0 ? Cdb.invalidField() : Cdb.data(standardInquiry(), allocation);
    }
    byte[] body =
        switch (page) {
          case 0x00 -> supportedPages();
          case 0x80 -> serial.getBytes(StandardCharsets.US_ASCII);
          case 0x83 -> deviceIdentification();
          default -> profile.vpdPages().get(page);
        };
    if (body == null) {
      return Cdb.invalidField();
    }
    byte[] b = new byte[4 + body.length];
    b[0] = (byte) profile.peripheralType();
    b[1] = (byte) page;
    ByteBuffer.wrap(b, 2, 2).putShort((short) body.length);
    System.arraycopy(body, 0, b, 4, body.length);
    return Cdb.data(b, allocation);
  }

  private byte[] standardInquiry() {
    byte[] b = new byte[96];
    b[0] = (byte) profile.peripheralType();
    b[1] = (byte) (profile.removable() ? 0x80 : 0x00);
    b[2] = 0x06; // SPC-4
    b[3] = 0x02; // response data format 2
    b[4] = (byte) (b.length - 5);
    b[7] = 0x02; // CmdQue
    ascii(b, 8, 8, "DISCS");
    ascii(b, 16, 16, profile.product());
    ascii(b, 32, 4, "0001");
    // Version descriptors: SAM-5, SPC-4, the command set's, iSCSI.
    ByteBuffer.wrap(b, 58, 8)
        .putShort((short) 0x00a0)
        .putShort((short) 0x0460)
        .putShort((short) profile.commandSetVersion())
        .putShort((short) 0x0960);
    return b;
  }

  private byte[] supportedPages() {
    ByteArrayOutputStream pages = new ByteArrayOutputStream();
    pages.write(0x00);
    pages.write(0x80);
    pages.write(0x83);
    profile.vpdPages().keySet().forEach(pages::write);
    return pages.toByteArray();
  }

  private byte[] deviceIdentification() {
    byte[] d = new byte[12];
    d[0] = 0x01; // binary
    d[1] = 0x03; // NAA, associated with the logical unit
    d[3] = 8;
    ByteBuffer.wrap(d, 4, 8).putLong((0x6L << 60) | (naa & 0x0fffffffffffffffL));
    return d;
  }

  private ScsiResult modeSense(byte[] cdb, boolean ten) {
    int page = cdb[2] & 0x3f;
    int allocation = ten ? Cdb.u16(cdb, 7) : Cdb.u8(cdb, 4);
    boolean dbd = (cdb[1] & 0x08) != 0;
    byte[] pages = page == 0x3f ? allPages() : modePages.get(page);
    if (pages == null) {
      return Cdb.invalidField();
    }
    byte[] descriptor = dbd ? new byte[0] : profile.blockDescriptor();
    int header = ten ? 8 : 4;
    byte[] b = new byte[header + descriptor.length + pages.length];
    if (ten) {
      ByteBuffer.wrap(b, 0, 2).putShort((short) (b.length - 2));
      b[3] = (byte) WRITE_PROTECTED;
      ByteBuffer.wrap(b, 6, 2).putShort((short) descriptor.length);
    } else {
      b[0] = (byte) (b.length - 1);
      b[2] = (byte) WRITE_PROTECTED;
      b[3] = (byte) descriptor.length;
    }
    System.arraycopy(descriptor, 0, b, header, descriptor.length);
    System.arraycopy(pages, 0, b, header + descriptor.length, pages.length);
    return Cdb.data(b, allocation);
  }

  private byte[] allPages() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    modePages.values().forEach(all::writeBytes);
    return all.toByteArray();
  }

  private static void ascii(byte[] b, int at, int length, String text) {
    Arrays.fill(b, at, at + length, (byte) ' ');
    byte[] t = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(t, 0, b, at, Math.min(length, t.length));
  }
}
