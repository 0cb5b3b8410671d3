package io.discs.targets.embedded.scsi;

/**
 * A read-only logical unit: its medium and the command table it answers from — SPC for every unit,
 * SBC's block commands, and MMC's on top for an optical unit. Pure functions from CDB to result;
 * reads of the medium come back as {@link ScsiResult.MediumRead} for the caller to do.
 */
public final class ScsiDevice {
  public enum Kind {
    DISK,
    CDROM
  }

  private final Medium medium;
  private final CommandSet commands;

  /**
   * @param naa a 60-bit identifier unique to this logical unit (Windows misbehaves on duplicates)
   */
  public ScsiDevice(Kind kind, long sizeBytes, String serial, long naa) {
    this(kind, sizeBytes, serial, naa, true);
  }

  private ScsiDevice(Kind kind, long sizeBytes, String serial, long naa, boolean present) {
    this.medium = Medium.of(sizeBytes, kind == Kind.CDROM ? 2048 : 512);
    UnitProfile profile = kind == Kind.CDROM ? Mmc.profile() : Sbc.diskProfile(medium);
    CommandSet.Builder table = CommandSet.builder();
    new Spc(profile, serial, naa).addTo(table);
    new Sbc(medium).addTo(table);
    if (kind == Kind.CDROM) {
      new Mmc(medium.blocks(), present).addTo(table);
    }
    this.commands = table.build();
  }

  /** An optical unit with no disc in it: what a {@link Drive} answers from while empty. */
  static ScsiDevice emptyDrive(String serial, long naa) {
    return new ScsiDevice(Kind.CDROM, 0, serial, naa, false);
  }

  public int blockSize() {
    return medium.blockSize();
  }

  public ScsiResult execute(byte[] cdb) {
    return commands.execute(cdb);
  }

  /**
   * For a LUN that does not exist: INQUIRY says "no device here", REPORT LUNS still answers, the
   * rest fail.
   */
  public static ScsiResult absentLun(byte[] cdb) {
    return Spc.absentLun(cdb);
  }
}
