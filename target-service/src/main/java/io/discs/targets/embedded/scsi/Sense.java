package io.discs.targets.embedded.scsi;

/** Fixed-format sense data (SPC-4 4.5.3): key, additional sense code and qualifier. */
public record Sense(int key, int asc, int ascq) {
  public static final Sense INVALID_OPCODE = new Sense(0x05, 0x20, 0x00);
  public static final Sense INVALID_FIELD_IN_CDB = new Sense(0x05, 0x24, 0x00);
  public static final Sense LBA_OUT_OF_RANGE = new Sense(0x05, 0x21, 0x00);
  public static final Sense LUN_NOT_SUPPORTED = new Sense(0x05, 0x25, 0x00);
  public static final Sense WRITE_PROTECTED = new Sense(0x07, 0x27, 0x00);
  public static final Sense MEDIUM_ERROR = new Sense(0x03, 0x11, 0x00);
  public static final Sense NO_SENSE = new Sense(0x00, 0x00, 0x00);

  /**
   * 18 bytes: response code 0x70, the key in byte 2, additional length 10, ASC and ASCQ in 12 and
   * 13.
   */
  public byte[] bytes() {
    byte[] b = new byte[18];
    b[0] = 0x70;
    b[2] = (byte) key;
    b[7] = 0x0a;
    b[12] = (byte) asc;
    b[13] = (byte) ascq;
    return b;
  }
}
