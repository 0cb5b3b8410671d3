package io.discs.targets.embedded.scsi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A read-only logical unit as pure functions from CDB to result: SPC (common), SBC (disk) and MMC
 * (optical). No I/O happens here; reads of the medium come back as {@link ScsiResult.MediumRead}.
 */
public final class ScsiDevice {
  public enum Kind {
    DISK,
    CDROM
  }

  private static final int MAX_TRANSFER_BLOCKS_BYTES = 8 << 20;

  private final Kind kind;
  private final int blockSize;
  private final long blocks;
  private final String serial;
  private final long naa;
  private final Mmc mmc;
  private final SupportedCommands supported;

  /**
   * @param naa a 60-bit identifier unique to this logical unit (Windows misbehaves on duplicates)
   */
  public ScsiDevice(Kind kind, long sizeBytes, String serial, long naa) {
    this.kind = kind;
    this.blockSize = kind == Kind.CDROM ? 2048 : 512;
    // Rounded up: an image whose size is not a whole number of blocks is served whole, its last
    // block padded with zeros by the block source.
    this.blocks = (sizeBytes + blockSize - 1) / blockSize;
    this.mmc = new Mmc(blocks);
    this.supported = new SupportedCommands(kind == Kind.CDROM);
    this.serial = serial;
    this.naa = naa;
  }

  public int blockSize() {
    return blockSize;
  }

  public ScsiResult execute(byte[] cdb) {
    int opcode = cdb[0] & 0xff;
    return switch (opcode) {
      case 0x00 -> new ScsiResult.Good(); // TEST UNIT READY
      case 0x03 -> data(Sense.NO_SENSE.bytes(), u8(cdb, 4)); // REQUEST SENSE
      case 0x12 -> inquiry(cdb);
      case 0x1a -> modeSense(cdb, false);
      case 0x5a -> modeSense(cdb, true);
      case 0x25 -> readCapacity10();
      case 0x9e -> (cdb[1] & 0x1f) == 0x10 ? readCapacity16(cdb) : invalidOpcode();
      case 0x08 -> read(u21(cdb, 1), u8(cdb, 4) == 0 ? 256 : u8(cdb, 4));
      case 0x28 -> protectionField(cdb) ? invalidField() : read(u32(cdb, 2), u16(cdb, 7));
      case 0xa8 -> protectionField(cdb) ? invalidField() : read(u32(cdb, 2), u32(cdb, 6));
      case 0x88 -> protectionField(cdb) ? invalidField() : read(u64(cdb, 2), u32(cdb, 10));
      case 0x2f -> verify(cdb, u32(cdb, 2), u16(cdb, 7)); // VERIFY (10)
      case 0x8f -> verify(cdb, u64(cdb, 2), u32(cdb, 10)); // VERIFY (16)
      case 0x34 -> inRange(u32(cdb, 2), u16(cdb, 7)); // PRE-FETCH (10)
      case 0x90 -> inRange(u64(cdb, 2), u32(cdb, 10)); // PRE-FETCH (16)
      case 0xa0 -> reportLuns(cdb);
      case 0x1b, 0x1e, 0x35, 0x91 ->
          new ScsiResult.Good(); // START STOP, PREVENT ALLOW, SYNCHRONIZE CACHE
      // Every command that would change the medium, WRITE AND VERIFY included: DATA PROTECT.
      case 0x0a, 0x2a, 0xaa, 0x8a, 0x2e, 0xae, 0x8e, 0x41, 0x93, 0x42, 0x89, 0x8b, 0x04, 0x3b ->
          new ScsiResult.CheckCondition(Sense.WRITE_PROTECTED);
      case 0x5e -> persistentReserveIn(cdb);
      case SupportedCommands.MAINTENANCE_IN ->
          (cdb[1] & 0x1f) == SupportedCommands.REPORT_SUPPORTED_OPCODES
              ? supported.report(cdb)
              : invalidOpcode();
      default -> kind == Kind.CDROM && Mmc.handles(opcode) ? mmc.execute(cdb) : invalidOpcode();
    };
  }

  /**
   * For a LUN that does not exist: INQUIRY says "no device here", REPORT LUNS still answers, the
   * rest fail.
   */
  public static ScsiResult absentLun(byte[] cdb, ScsiDevice any) {
    int opcode = cdb[0] & 0xff;
    if (opcode == 0x12) {
      byte[] b = new byte[36];
      b[0] = 0x7f;
      return data(b, u16(cdb, 3));
    }
    if (opcode == 0xa0) {
      return any.reportLuns(cdb);
    }
    if (opcode == 0x03) {
      return data(Sense.LUN_NOT_SUPPORTED.bytes(), u8(cdb, 4));
    }
    return new ScsiResult.CheckCondition(Sense.LUN_NOT_SUPPORTED);
  }

  private ScsiResult read(long lba, long count) {
    if (lba + count > blocks || lba < 0) {
      return new ScsiResult.CheckCondition(Sense.LBA_OUT_OF_RANGE);
    }
    if (count == 0) {
      return new ScsiResult.Good();
    }
    if (count * blockSize > MAX_TRANSFER_BLOCKS_BYTES) {
      return new ScsiResult.CheckCondition(Sense.INVALID_FIELD_IN_CDB);
    }
    return new ScsiResult.MediumRead(lba * blockSize, (int) (count * blockSize));
  }

  private ScsiResult verify(byte[] cdb, long lba, long count) {
    if (protectionField(cdb)) {
      return invalidField();
    }
    if ((cdb[1] & 0x06) != 0) {
      return invalidOpcode(); // BYTCHK=1 would compare data we will not take
    }
    return inRange(lba, count);
  }

  private ScsiResult inRange(long lba, long count) {
    return lba < 0 || lba > blocks || lba + count > blocks
        ? new ScsiResult.CheckCondition(Sense.LBA_OUT_OF_RANGE)
        : new ScsiResult.Good();
  }

  /**
   * RDPROTECT / VRPROTECT: this device has no protection information, so any value but 0 is
   * invalid.
   */
  private static boolean protectionField(byte[] cdb) {
    return (cdb[1] & 0xe0) != 0;
  }

  private static ScsiResult invalidField() {
    return new ScsiResult.CheckCondition(Sense.INVALID_FIELD_IN_CDB);
  }

  private ScsiResult inquiry(byte[] cdb) {
    int allocation = u16(cdb, 3);
    boolean evpd = (cdb[1] & 0x01) != 0;
    int page = u8(cdb, 2);
    if (!evpd) {
      if (page != 0) {
        return new ScsiResult.CheckCondition(Sense.INVALID_FIELD_IN_CDB);
      }
      byte[] b = new byte[96];
      b[0] = (byte) (kind == Kind.CDROM ? 0x05 : 0x00);
      b[1] = (byte) (kind == Kind.CDROM ? 0x80 : 0x00); // RMB for optical
      b[2] = 0x06; // SPC-4
      b[3] = 0x02; // response data format 2
      b[4] = (byte) (b.length - 5);
      b[7] = 0x02; // CmdQue
      ascii(b, 8, 8, "DISCS");
      ascii(b, 16, 16, kind == Kind.CDROM ? "VIRTUAL-DVD" : "VIRTUAL-DISK");
      ascii(b, 32, 4, "0001");
      // Version descriptors: SAM-5, SPC-4, SBC-3 or MMC-6, iSCSI.
      ByteBuffer versions = ByteBuffer.wrap(b, 58, 8);
      versions
          .putShort((short) 0x00a0)
          .putShort((short) 0x0460)
          .putShort((short) (kind == Kind.CDROM ? 0x0520 : 0x04c0))
          .putShort((short) 0x0960);
      return data(b, allocation);
    }
    return switch (page) {
      case 0x00 ->
          data(
              kind == Kind.CDROM
                  ? new byte[] {0x05, 0, 0, 3, 0x00, (byte) 0x80, (byte) 0x83}
                  : new byte[] {
                    0,
                    0,
                    0,
                    6,
                    0x00,
                    (byte) 0x80,
                    (byte) 0x83,
                    (byte) 0xb0,
                    (byte) 0xb1,
                    (byte) 0xb2
                  },
              allocation);
      case 0x80 -> {
        byte[] s = serial.getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[4 + s.length];
        b[0] = (byte) (kind == Kind.CDROM ? 0x05 : 0);
        b[1] = (byte) 0x80;
        b[3] = (byte) s.length;
        System.arraycopy(s, 0, b, 4, s.length);
        yield data(b, allocation);
      }
      case 0x83 -> {
        byte[] b = new byte[4 + 12];
        b[0] = (byte) (kind == Kind.CDROM ? 0x05 : 0);
        b[1] = (byte) 0x83;
        b[3] = 12;
        b[4] = 0x01; // binary
        b[5] = 0x03; // NAA, associated with the logical unit
        b[7] = 8;
        ByteBuffer.wrap(b, 8, 8).putLong((0x6L << 60) | (naa & 0x0fffffffffffffffL));
        yield data(b, allocation);
      }
      case 0xb0 ->
          kind == Kind.CDROM
              ? new ScsiResult.CheckCondition(Sense.INVALID_FIELD_IN_CDB)
              : blockLimits(allocation);
      case 0xb1 ->
          kind == Kind.CDROM
              ? new ScsiResult.CheckCondition(Sense.INVALID_FIELD_IN_CDB)
              : characteristics(allocation);
      case 0xb2 ->
          kind == Kind.CDROM
              ? new ScsiResult.CheckCondition(Sense.INVALID_FIELD_IN_CDB)
              : provisioning(allocation);
      default -> new ScsiResult.CheckCondition(Sense.INVALID_FIELD_IN_CDB);
    };
  }

  private ScsiResult blockLimits(int allocation) {
    byte[] b = new byte[64];
    b[1] = (byte) 0xb0;
    b[3] = 0x3c;
    int maxBlocks = MAX_TRANSFER_BLOCKS_BYTES / blockSize;
    ByteBuffer.wrap(b, 8, 4).putInt(maxBlocks); // maximum transfer length
    ByteBuffer.wrap(b, 12, 4).putInt(128); // optimal transfer length (64 KiB of 512-byte blocks)
    return data(b, allocation);
  }

  private static ScsiResult characteristics(int allocation) {
    byte[] b = new byte[64];
    b[1] = (byte) 0xb1;
    b[3] = 0x3c;
    b[5] = 0x01; // non-rotating medium
    return data(b, allocation);
  }

  private static ScsiResult provisioning(int allocation) {
    byte[] b = new byte[8];
    b[1] = (byte) 0xb2;
    b[3] = 0x04;
    return data(b, allocation);
  }

  private ScsiResult readCapacity10() {
    byte[] b = new byte[8];
    long last = blocks - 1;
    ByteBuffer.wrap(b).putInt((int) Math.min(last, 0xffffffffL)).putInt(blockSize);
    return new ScsiResult.Data(b);
  }

  private ScsiResult readCapacity16(byte[] cdb) {
    byte[] b = new byte[32];
    ByteBuffer.wrap(b).putLong(blocks - 1).putInt(blockSize);
    return data(b, u32(cdb, 10));
  }

  /**
   * The device-specific byte carries WP (0x80): the medium is write-protected; and DPOFUA (0x10):
   * DPO and FUA are accepted (a read-only medium has no cache to bypass).
   */
  private ScsiResult modeSense(byte[] cdb, boolean ten) {
    int page = cdb[2] & 0x3f;
    int allocation = ten ? u16(cdb, 7) : u8(cdb, 4);
    boolean dbd = (cdb[1] & 0x08) != 0;
    byte[] pages = modePages(page);
    if (pages == null) {
      return new ScsiResult.CheckCondition(Sense.INVALID_FIELD_IN_CDB);
    }
    byte[] descriptor = dbd || kind == Kind.CDROM ? new byte[0] : blockDescriptor();
    int header = ten ? 8 : 4;
    byte[] b = new byte[header + descriptor.length + pages.length];
    if (ten) {
      ByteBuffer.wrap(b, 0, 2).putShort((short) (b.length - 2));
      b[3] = (byte) 0x90;
      ByteBuffer.wrap(b, 6, 2).putShort((short) descriptor.length);
    } else {
      b[0] = (byte) (b.length - 1);
      b[2] = (byte) 0x90;
      b[3] = (byte) descriptor.length;
    }
    System.arraycopy(descriptor, 0, b, header, descriptor.length);
    System.arraycopy(pages, 0, b, header + descriptor.length, pages.length);
    return data(b, allocation);
  }

  private byte[] blockDescriptor() {
    byte[] d = new byte[8];
    ByteBuffer.wrap(d).putInt((int) Math.min(blocks, 0xffffffL)).putInt(blockSize);
    d[0] = 0;
    return d;
  }

  private byte[] modePages(int page) {
    byte[] caching = {0x08, 0x12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    byte[] control = {0x0a, 0x0a, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    byte[] capabilities = {
      0x2a, 0x14, 0x3b, 0, 0, 0, 0x29, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    };
    return switch (page) {
      case 0x08 -> kind == Kind.DISK ? caching : null;
      case 0x0a -> control;
      case 0x2a -> kind == Kind.CDROM ? capabilities : null;
      case 0x3f -> kind == Kind.DISK ? concat(caching, control) : concat(control, capabilities);
      default -> null;
    };
  }

  ScsiResult reportLuns(byte[] cdb) {
    byte[] b = new byte[16];
    b[3] = 8; // one LUN, LUN 0
    return data(b, u32(cdb, 6));
  }

  /**
   * PERSISTENT RESERVE IN: nobody may write here, so nobody needs to reserve: no keys, no
   * reservation, no reservation types offered.
   */
  private static ScsiResult persistentReserveIn(byte[] cdb) {
    int allocation = u16(cdb, 7);
    return switch (cdb[1] & 0x1f) {
      case 0x00, 0x01, 0x03 -> data(new byte[8], allocation); // generation 0, nothing listed
      case 0x02 -> data(new byte[] {0, 8, 0, 0, 0, 0, 0, 0}, allocation); // capabilities: none
      default -> invalidField();
    };
  }

  private static ScsiResult invalidOpcode() {
    return new ScsiResult.CheckCondition(Sense.INVALID_OPCODE);
  }

  private static ScsiResult data(byte[] bytes, long allocation) {
    return new ScsiResult.Data(Arrays.copyOf(bytes, (int) Math.min(bytes.length, allocation)));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  private static void ascii(byte[] b, int at, int length, String text) {
    Arrays.fill(b, at, at + length, (byte) ' ');
    byte[] t = text.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(t, 0, b, at, Math.min(length, t.length));
  }

  static int u8(byte[] b, int at) {
    return b[at] & 0xff;
  }

  static int u16(byte[] b, int at) {
    return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
  }

  static long u21(byte[] b, int at) {
    return (b[at] & 0x1fL) << 16 | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL);
  }

  static long u32(byte[] b, int at) {
    return (b[at] & 0xffL) << 24
        | (b[at + 1] & 0xffL) << 16
        | (b[at + 2] & 0xffL) << 8
        | (b[at + 3] & 0xffL);
  }

  static long u64(byte[] b, int at) {
    return u32(b, at) << 32 | u32(b, at + 4);
  }
}
