package io.discs.targets.embedded.scsi;

import static io.discs.targets.embedded.scsi.ScsiOpcode.GET_CONFIGURATION;
import static io.discs.targets.embedded.scsi.ScsiOpcode.GET_EVENT_STATUS_NOTIFICATION;
import static io.discs.targets.embedded.scsi.ScsiOpcode.MECHANISM_STATUS;
import static io.discs.targets.embedded.scsi.ScsiOpcode.READ_DISC_INFORMATION;
import static io.discs.targets.embedded.scsi.ScsiOpcode.READ_TOC_PMA_ATIP;
import static io.discs.targets.embedded.scsi.ScsiOpcode.READ_TRACK_INFORMATION;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The MMC command set of a read-only disc: one finalised session with one data track (mode 1,
 * 2048-byte blocks) and the lead-out after it. Pure functions of the CDB; what real systems' CD
 * drivers ask (Linux's cdrom layer reads the TOC in MSF, Windows' cdrom.sys asks for the
 * configuration and track information) is answered as a pressed DVD-ROM or CD-ROM would.
 */
final class Mmc {
  static final int PROFILE_CD_ROM = 0x0008;
  static final int PROFILE_DVD_ROM = 0x0010;

  /** The largest pressed CD (99 minutes); anything larger can only be a DVD. */
  private static final long CD_MAX_BYTES = 99L * 60 * 75 * 2048;

  private static final int LEAD_OUT = 0xaa;
  private static final int DATA_TRACK = 0x14; // ADR 1 (Q sub-channel position), control 4 (data)

  private final long blocks;

  /** Whether a disc is in: an empty drive has no current profile and reads nothing. */
  private final boolean present;

  Mmc(long blocks) {
    this(blocks, true);
  }

  Mmc(long blocks, boolean present) {
    this.blocks = blocks;
    this.present = present;
  }

  /** What INQUIRY and MODE SENSE say of an optical unit: MMC-6, removable, page 2Ah. */
  static UnitProfile profile() {
    SortedMap<Integer, byte[]> modePages = new TreeMap<>();
    modePages.put(
        0x2a,
        new byte[] {0x2a, 0x14, 0x3b, 0, 0, 0, 0x29, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    return new UnitProfile(
        0x05, true, "VIRTUAL-DVD", 0x0520, new TreeMap<>(), modePages, new byte[0]);
  }

  void addTo(CommandSet.Builder table) {
    table
        .add(READ_TOC_PMA_ATIP, this::readToc)
        .add(GET_CONFIGURATION, this::getConfiguration)
        .add(GET_EVENT_STATUS_NOTIFICATION, Mmc::eventStatus)
        .add(READ_DISC_INFORMATION, Mmc::discInformation)
        .add(READ_TRACK_INFORMATION, this::trackInformation)
        .add(MECHANISM_STATUS, cdb -> Cdb.data(new byte[8], Cdb.u16(cdb, 8)));
  }

  int currentProfile() {
    if (!present) {
      return 0;
    }
    return blocks * 2048 <= CD_MAX_BYTES ? PROFILE_CD_ROM : PROFILE_DVD_ROM;
  }

  /** READ TOC/PMA/ATIP: formats 0 (TOC), 1 (session info) and 2 (full TOC), in LBA or MSF. */
  private ScsiResult readToc(byte[] cdb) {
    boolean msf = (cdb[1] & 0x02) != 0;
    int format = cdb[2] & 0x0f;
    if (format == 0 && (cdb[9] & 0xc0) != 0) {
      format = (cdb[9] & 0xc0) >> 6; // the old SFF-8020 place of the format, which some still use
    }
    int start = cdb[6] & 0xff;
    int allocation = Cdb.u16(cdb, 7);
    return switch (format) {
      case 0 -> toc(msf, start, allocation);
      case 1 -> {
        byte[] b = new byte[12];
        ByteBuffer.wrap(b, 0, 2).putShort((short) 10);
        b[2] = 1; // first session
        b[3] = 1; // last session
        b[5] = DATA_TRACK;
        b[6] = 1; // first track in the last session
        address(b, 8, 0, msf);
        yield Cdb.data(b, allocation);
      }
      case 2 -> fullToc(allocation);
      default -> Cdb.invalidField();
    };
  }

  private ScsiResult toc(boolean msf, int start, int allocation) {
    if (start > 1 && start != LEAD_OUT) {
      return Cdb.invalidField();
    }
    List<byte[]> descriptors = new ArrayList<>();
    if (start <= 1) {
      descriptors.add(trackDescriptor(1, 0, msf));
    }
    descriptors.add(trackDescriptor(LEAD_OUT, blocks, msf));
    byte[] b = new byte[4 + 8 * descriptors.size()];
    ByteBuffer.wrap(b, 0, 2).putShort((short) (b.length - 2));
    b[2] = 1; // first track
    b[3] = 1; // last track
    for (int i = 0; i < descriptors.size(); i++) {
      System.arraycopy(descriptors.get(i), 0, b, 4 + 8 * i, 8);
    }
    return Cdb.data(b, allocation);
  }

  private static byte[] trackDescriptor(int track, long lba, boolean msf) {
    byte[] d = new byte[8];
    d[1] = DATA_TRACK;
    d[2] = (byte) track;
    address(d, 4, lba, msf);
    return d;
  }

  /** Full TOC (format 2): points A0 (first track), A1 (last track), A2 (lead-out) and track 1. */
  private ScsiResult fullToc(int allocation) {
    byte[][] points = {
      point(0xa0, new int[] {1, 0x00, 0}), // first track 1, disc type CD-DA/CD-ROM
      point(0xa1, new int[] {1, 0, 0}), // last track 1
      point(0xa2, msf(blocks)), // lead-out start
      point(1, msf(0)) // track 1 start
    };
    byte[] b = new byte[4 + 11 * points.length];
    ByteBuffer.wrap(b, 0, 2).putShort((short) (b.length - 2));
    b[2] = 1;
    b[3] = 1;
    for (int i = 0; i < points.length; i++) {
      System.arraycopy(points[i], 0, b, 4 + 11 * i, 11);
    }
    return Cdb.data(b, allocation);
  }

  private static byte[] point(int point, int[] p) {
    byte[] d = new byte[11];
    d[0] = 1; // session
    d[1] = DATA_TRACK;
    d[3] = (byte) point;
    d[8] = (byte) p[0];
    d[9] = (byte) p[1];
    d[10] = (byte) p[2];
    return d;
  }

  /** MSF counts 75 frames a second from the start of the lead-in: LBA 0 is 00:02:00. */
  static int[] msf(long lba) {
    long frames = lba + 150;
    return new int[] {(int) (frames / (60 * 75)), (int) (frames / 75 % 60), (int) (frames % 75)};
  }

  private static void address(byte[] b, int at, long lba, boolean msf) {
    if (msf) {
      int[] m = msf(lba);
      b[at] = 0;
      b[at + 1] = (byte) Math.min(m[0], 255);
      b[at + 2] = (byte) m[1];
      b[at + 3] = (byte) m[2];
    } else {
      ByteBuffer.wrap(b, at, 4).putInt((int) lba);
    }
  }

  /** READ TRACK INFORMATION: by LBA (type 0), track (type 1) or session (type 2). */
  private ScsiResult trackInformation(byte[] cdb) {
    int type = cdb[1] & 0x03;
    long number = Cdb.u32(cdb, 2);
    boolean known =
        switch (type) {
          case 0 -> number < blocks;
          case 1, 2 -> number == 1;
          default -> false;
        };
    if (!known) {
      return Cdb.invalidField();
    }
    byte[] b = new byte[48];
    ByteBuffer.wrap(b, 0, 2).putShort((short) 46);
    b[2] = 1; // track number
    b[3] = 1; // session number
    b[5] = 0x04; // track mode: data, not damaged, not copied
    b[6] = 0x01; // data mode 1; not blank, not packet
    ByteBuffer.wrap(b, 8, 4).putInt(0); // track start
    ByteBuffer.wrap(b, 24, 4).putInt((int) blocks); // track size
    ByteBuffer.wrap(b, 28, 4).putInt((int) (blocks - 1)); // last recorded address
    return Cdb.data(b, Cdb.u16(cdb, 7));
  }

  /** READ DISC INFORMATION, standard data type only: complete disc, one finalised session. */
  private static ScsiResult discInformation(byte[] cdb) {
    if ((cdb[1] & 0x07) != 0) {
      return Cdb.invalidField();
    }
    byte[] b = new byte[34];
    ByteBuffer.wrap(b, 0, 2).putShort((short) 32);
    b[2] = 0x0e; // disc status complete, last session complete, not erasable
    b[3] = 1; // first track on the disc
    b[4] = 1; // sessions
    b[5] = 1; // first track in the last session
    b[6] = 1; // last track in the last session
    b[7] = 0x20; // URU: unrestricted use
    b[8] = 0x00; // disc type: CD-DA or CD-ROM
    ByteBuffer.wrap(b, 16, 4).putInt(0xffffffff); // no next session: lead-in start
    ByteBuffer.wrap(b, 20, 4).putInt(0xffffffff); // last possible lead-out
    return Cdb.data(b, Cdb.u16(cdb, 7));
  }

  /**
   * GET CONFIGURATION: the profile list (DVD-ROM or CD-ROM by size, the other listed as not
   * current), core, removable medium, random readable and CD or DVD read features.
   */
  private ScsiResult getConfiguration(byte[] cdb) {
    int requestType = cdb[1] & 0x03;
    int startingFeature = Cdb.u16(cdb, 2);
    if (requestType == 3) {
      return Cdb.invalidField();
    }
    int profile = currentProfile();
    boolean dvd = profile == PROFILE_DVD_ROM;
    boolean cd = profile == PROFILE_CD_ROM;
    int withDisc = present ? 0x01 : 0x00; // the current bit of what needs a disc
    List<byte[]> features = new ArrayList<>();
    features.add(
        feature(
            0x0000,
            0x03,
            new byte[] {
              0, (byte) PROFILE_DVD_ROM, (byte) (dvd ? 1 : 0), 0,
              0, (byte) PROFILE_CD_ROM, (byte) (cd ? 1 : 0), 0
            }));
    features.add(feature(0x0001, 0x0b, new byte[] {0, 0, 0, 1, 0, 0, 0, 0})); // core: SCSI, v2
    features.add(feature(0x0003, 0x03, new byte[] {0x29, 0, 0, 0})); // tray, ejectable, lockable
    byte[] random = new byte[8];
    ByteBuffer.wrap(random, 0, 4).putInt(2048);
    ByteBuffer.wrap(random, 4, 2).putShort((short) (dvd ? 16 : 1));
    features.add(feature(0x0010, withDisc, random)); // current while a medium is in
    features.add(
        dvd
            ? feature(0x001f, withDisc, new byte[0])
            : feature(0x001e, 0x08 | withDisc, new byte[4]));
    List<byte[]> chosen = new ArrayList<>();
    for (byte[] f : features) {
      int number = (f[0] & 0xff) << 8 | (f[1] & 0xff);
      boolean current = (f[2] & 0x01) != 0;
      boolean wanted =
          switch (requestType) {
            case 0 -> number >= startingFeature;
            case 1 -> number >= startingFeature && current;
            default -> number == startingFeature;
          };
      if (wanted) {
        chosen.add(f);
      }
    }
    int length = 8 + chosen.stream().mapToInt(f -> f.length).sum();
    ByteBuffer b = ByteBuffer.allocate(length);
    b.putInt(length - 4).putShort((short) 0).putShort((short) profile);
    chosen.forEach(b::put);
    return Cdb.data(b.array(), Cdb.u16(cdb, 7));
  }

  /**
   * @param flags version (bits 5-2), persistent (bit 1), current (bit 0)
   */
  private static byte[] feature(int number, int flags, byte[] body) {
    byte[] f = new byte[4 + body.length];
    f[0] = (byte) (number >> 8);
    f[1] = (byte) number;
    f[2] = (byte) flags;
    f[3] = (byte) body.length;
    System.arraycopy(body, 0, f, 4, body.length);
    return f;
  }

  /** GET EVENT STATUS NOTIFICATION, polled: the media class (no change, medium present). */
  private static ScsiResult eventStatus(byte[] cdb) {
    if ((cdb[1] & 0x01) == 0) {
      return Cdb.invalidField(); // only polled operation
    }
    int allocation = Cdb.u16(cdb, 7);
    if ((cdb[4] & 0x10) == 0) {
      // No class this device supports was asked for: NEA, with the supported classes.
      return Cdb.data(new byte[] {0, 2, (byte) 0x80, 0x10}, allocation);
    }
    return Cdb.data(new byte[] {0, 6, 0x04, 0x10, 0, 0x02, 0, 0}, allocation);
  }
}
