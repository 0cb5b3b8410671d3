package io.discs.targets.embedded.scsi;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * REPORT SUPPORTED OPERATION CODES (MAINTENANCE IN, service action 0x0c) from one table of what a
 * logical unit answers. Commands that are refused as write-protected are not listed: they exist
 * only to say no.
 */
final class SupportedCommands {
  static final int MAINTENANCE_IN = 0xa3;
  static final int REPORT_SUPPORTED_OPCODES = 0x0c;

  /** An operation code, its service action (-1: none) and its CDB length. */
  record Command(int opcode, int serviceAction, int cdbLength) {}

  private static final List<Command> COMMON =
      List.of(
          new Command(0x00, -1, 6), // TEST UNIT READY
          new Command(0x03, -1, 6), // REQUEST SENSE
          new Command(0x08, -1, 6), // READ (6)
          new Command(0x12, -1, 6), // INQUIRY
          new Command(0x1a, -1, 6), // MODE SENSE (6)
          new Command(0x1b, -1, 6), // START STOP UNIT
          new Command(0x1e, -1, 6), // PREVENT ALLOW MEDIUM REMOVAL
          new Command(0x25, -1, 10), // READ CAPACITY (10)
          new Command(0x28, -1, 10), // READ (10)
          new Command(0x2f, -1, 10), // VERIFY (10)
          new Command(0x34, -1, 10), // PRE-FETCH (10)
          new Command(0x35, -1, 10), // SYNCHRONIZE CACHE (10)
          new Command(0x5a, -1, 10), // MODE SENSE (10)
          new Command(0x5e, 0x00, 10), // PERSISTENT RESERVE IN: READ KEYS
          new Command(0x5e, 0x01, 10), // READ RESERVATION
          new Command(0x5e, 0x02, 10), // REPORT CAPABILITIES
          new Command(0x5e, 0x03, 10), // READ FULL STATUS
          new Command(0x88, -1, 16), // READ (16)
          new Command(0x8f, -1, 16), // VERIFY (16)
          new Command(0x90, -1, 16), // PRE-FETCH (16)
          new Command(0x91, -1, 16), // SYNCHRONIZE CACHE (16)
          new Command(0x9e, 0x10, 16), // READ CAPACITY (16)
          new Command(0xa0, -1, 12), // REPORT LUNS
          new Command(MAINTENANCE_IN, REPORT_SUPPORTED_OPCODES, 12),
          new Command(0xa8, -1, 12)); // READ (12)

  private static final List<Command> OPTICAL =
      List.of(
          new Command(Mmc.READ_TOC, -1, 10),
          new Command(Mmc.GET_CONFIGURATION, -1, 10),
          new Command(Mmc.GET_EVENT_STATUS, -1, 10),
          new Command(Mmc.READ_DISC_INFORMATION, -1, 10),
          new Command(Mmc.READ_TRACK_INFORMATION, -1, 10),
          new Command(Mmc.MECHANISM_STATUS, -1, 12));

  private final List<Command> commands;

  SupportedCommands(boolean optical) {
    List<Command> all = new ArrayList<>(COMMON);
    if (optical) {
      all.addAll(OPTICAL);
    }
    this.commands = List.copyOf(all);
  }

  ScsiResult report(byte[] cdb) {
    boolean timeouts = (cdb[2] & 0x80) != 0;
    int options = cdb[2] & 0x07;
    int opcode = cdb[3] & 0xff;
    int serviceAction = ScsiDevice.u16(cdb, 4);
    long allocation = ScsiDevice.u32(cdb, 6);
    return switch (options) {
      case 0 -> all(timeouts, allocation);
      case 1 -> one(opcode, -1, timeouts, allocation);
      case 2 -> one(opcode, serviceAction, timeouts, allocation);
      default -> new ScsiResult.CheckCondition(Sense.INVALID_FIELD_IN_CDB);
    };
  }

  private ScsiResult all(boolean timeouts, long allocation) {
    int each = timeouts ? 20 : 8;
    ByteBuffer b = ByteBuffer.allocate(4 + each * commands.size());
    b.putInt(each * commands.size());
    for (Command c : commands) {
      b.put((byte) c.opcode()).put((byte) 0).putShort((short) Math.max(c.serviceAction(), 0));
      b.put((byte) 0).put((byte) ((timeouts ? 0x02 : 0) | (c.serviceAction() >= 0 ? 0x01 : 0)));
      b.putShort((short) c.cdbLength());
      if (timeouts) {
        b.putShort((short) 10).put(new byte[10]); // timeouts descriptor: none recommended
      }
    }
    return data(b.array(), allocation);
  }

  /** One command: supported (with its CDB usage bitmap) or not, as options 1 and 2 ask. */
  private ScsiResult one(int opcode, int serviceAction, boolean timeouts, long allocation) {
    boolean hasServiceActions =
        commands.stream().anyMatch(c -> c.opcode() == opcode && c.serviceAction() >= 0);
    if ((serviceAction < 0) == hasServiceActions) {
      // Option 1 for a command with service actions, or 2 for one without: the CDB is wrong.
      return new ScsiResult.CheckCondition(Sense.INVALID_FIELD_IN_CDB);
    }
    Command found =
        commands.stream()
            .filter(c -> c.opcode() == opcode && c.serviceAction() == serviceAction)
            .findFirst()
            .orElse(null);
    if (found == null) {
      return data(new byte[] {0, 0x01, 0, 0}, allocation); // not supported
    }
    int length = found.cdbLength();
    ByteBuffer b = ByteBuffer.allocate(4 + length + (timeouts ? 12 : 0));
    b.put((byte) 0).put((byte) ((timeouts ? 0x80 : 0) | 0x03)).putShort((short) length);
    byte[] usage = new byte[length];
    java.util.Arrays.fill(usage, (byte) 0xff);
    usage[0] = (byte) opcode;
    if (found.serviceAction() >= 0) {
      usage[1] = (byte) (0xe0 | found.serviceAction()); // the service action's own bits are fixed
    }
    b.put(usage);
    if (timeouts) {
      b.putShort((short) 10).put(new byte[10]);
    }
    return data(b.array(), allocation);
  }

  private static ScsiResult data(byte[] bytes, long allocation) {
    return new ScsiResult.Data(
        java.util.Arrays.copyOf(bytes, (int) Math.min(bytes.length, allocation)));
  }
}
