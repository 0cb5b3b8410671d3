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

  /** NOT READY, MEDIUM NOT PRESENT: a drive with no disc in it. */
  public static final Sense MEDIUM_NOT_PRESENT = new Sense(0x02, 0x3a, 0x00);

  /** UNIT ATTENTION, MEDIUM NOT PRESENT: the disc went (the first attention of any change). */
  public static final Sense ATTENTION_MEDIUM_REMOVED = new Sense(0x06, 0x3a, 0x00);

  /** UNIT ATTENTION, NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED: a disc came. */
  public static final Sense ATTENTION_MEDIUM_CHANGED = new Sense(0x06, 0x28, 0x00);

  /** ILLEGAL REQUEST, MEDIUM REMOVAL PREVENTED: an eject while an initiator locks the disc in. */
  public static final Sense REMOVAL_PREVENTED = new Sense(0x05, 0x53, 0x02);

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
